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
 * With {@code tokens.refreshTokenRotationLeeway} on: {@code predecessorHash} names the token this one
 * replaced, whose kept answer this one's own rotation ends; a rotated token's {@code pendingResponse}
 * is the answer its rotation gave (the new tokens, encrypted), given again until {@code replayUntil}.
 * All three are null otherwise, and {@code replayUntil} and {@code pendingResponse} are ignored on insert.
 */
public record RefreshToken(String tokenHash, String clientId, boolean dynamicClient, String userId, String grantId,
                           List<String> scopes, Instant authTime, Instant issuedAt, Instant expiresAt, boolean rotated,
                           String certificateThumbprint, boolean clientActive, String predecessorHash, Instant replayUntil,
                           String pendingResponse) {
    public RefreshToken {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(grantId, "grantId");
        scopes = List.copyOf(scopes);
    }

    /** A refresh token that replaced none and keeps no answer. */
    public RefreshToken(String tokenHash, String clientId, boolean dynamicClient, String userId, String grantId, List<String> scopes,
                        Instant authTime, Instant issuedAt, Instant expiresAt, boolean rotated, String certificateThumbprint,
                        boolean clientActive) {
        this(tokenHash, clientId, dynamicClient, userId, grantId, scopes, authTime, issuedAt, expiresAt, rotated, certificateThumbprint,
                clientActive, null, null, null);
    }

    /**
     * Whether this rotated token still gets its rotation's answer again at {@code now}: the leeway has
     * not ended and the token that replaced it has not been used (its rotation clears the answer).
     */
    public boolean answeredAgainAt(Instant now) {
        return rotated && pendingResponse != null && replayUntil != null && now.isBefore(replayUntil);
    }
}
