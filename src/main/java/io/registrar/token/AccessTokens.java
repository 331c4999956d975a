package io.registrar.token;

import io.registrar.crypto.Secrets;
import io.registrar.store.AccessToken;
import io.registrar.store.TokenStore;

import java.time.Clock;
import java.util.Optional;

/** Looks up presented bearer tokens (RFC 6750): by hash, alive only until expiry and while the client is active. */
public final class AccessTokens {

    private final TokenStore tokens;
    private final Secrets secrets;
    private final Clock clock;

    public AccessTokens(TokenStore tokens, Secrets secrets, Clock clock) {
        this.tokens = tokens;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** The active token behind {@code presented}, or empty (unknown, expired, or its client revoked/deleted). */
    public Optional<AccessToken> active(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        return tokens.find(secrets.hash(presented)).filter(t -> t.activeAt(clock.instant()));
    }

    /**
     * The active token behind {@code presented} when it may be used on this connection: a token bound
     * to a certificate (RFC 8705 §3) only together with that certificate.
     *
     * @param certificateThumbprint x5t#S256 of the connection's client certificate, or null
     */
    public Optional<AccessToken> usable(String presented, String certificateThumbprint) {
        return active(presented).filter(t -> t.certificateThumbprint() == null
                || (certificateThumbprint != null && java.security.MessageDigest.isEqual(
                        t.certificateThumbprint().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        certificateThumbprint.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    }
}
