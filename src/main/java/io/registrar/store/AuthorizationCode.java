package io.registrar.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An authorization code (RFC 6749 §4.1.2), stored by hash, with what the token request must match:
 * the client, the redirect URI (to be repeated when {@code redirectUriSent}, §4.1.3) and the PKCE
 * challenge (RFC 7636 §4.3, S256; null when the client sent none). {@code grantId} is the token family
 * its tokens will belong to.
 */
public record AuthorizationCode(String codeHash, String clientId, String userId, String redirectUri, boolean redirectUriSent,
                                List<String> scopes, String nonce, String codeChallenge, Instant authTime, String grantId,
                                Instant expiresAt) {
    public AuthorizationCode {
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        scopes = List.copyOf(scopes);
    }
}
