package io.registrar.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A refresh token (RFC 6749 §6), stored by hash. {@code grantId} names its family: the grant that
 * the authorization code started, shared by every access and refresh token issued from it.
 * {@code rotated}: already exchanged once; presenting it again is a replay (RFC 9700 §4.14.2).
 * {@code certificateThumbprint}: the certificate a public client's token is bound to (RFC 8705 §4).
 * {@code clientActive} is read from the owning client and ignored on insert.
 */
public record RefreshToken(String tokenHash, String clientId, boolean dynamicClient, String userId, String grantId,
                           List<String> scopes, Instant authTime, Instant issuedAt, Instant expiresAt, boolean rotated,
                           String certificateThumbprint, boolean clientActive) {
    public RefreshToken {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(grantId, "grantId");
        scopes = List.copyOf(scopes);
    }
}
