package io.registrar.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An issued access token, stored by hash. {@code registrationsLeft} is set on DCR tokens (scope
 * dcr): how many registrations it still allows, null for unlimited. {@code certificateThumbprint} is
 * the base64url SHA-256 thumbprint of the client certificate the token is bound to (RFC 8705 §3,
 * {@code cnf.x5t#S256}), null when unbound. {@code clientActive} is read
 * from the owning client (always true for static clients) and is ignored on insert. {@code subject}
 * is the user of a token issued under a user's grant, {@code grantId} that grant (the token family
 * shared with its refresh tokens); both null for client_credentials tokens.
 */
public record AccessToken(String tokenHash, String clientId, boolean dynamicClient, List<String> scopes,
                          String subject, Instant issuedAt, Instant expiresAt, Integer registrationsLeft,
                          String certificateThumbprint, boolean clientActive, String grantId) {
    public AccessToken {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(clientId, "clientId");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean activeAt(Instant now) {
        return clientActive && now.isBefore(expiresAt);
    }
}
