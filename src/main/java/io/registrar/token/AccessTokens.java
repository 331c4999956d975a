package io.registrar.token;

import io.registrar.crypto.Secrets;
import io.registrar.oauth.OAuthException;
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
        return tokens.find(secrets.tokenHash(presented)).filter(t -> t.activeAt(clock.instant()));
    }

    /**
     * The active token behind {@code presented} when it may be used on this connection: a token bound
     * to a certificate (RFC 8705 §3) only together with that certificate.
     *
     * @param certificateThumbprint x5t#S256 of the connection's client certificate, or null
     */
    public Optional<AccessToken> usable(String presented, String certificateThumbprint) {
        return active(presented).filter(t -> t.certificateThumbprint() == null
                || Secrets.constantTimeEquals(t.certificateThumbprint(), certificateThumbprint));
    }

    /**
     * RFC 6750 §3.1: the usable token of a bearer request that needs {@code scope}. Missing → 401 with
     * the bare challenge; unknown, dead, or bound to a certificate this connection did not show → 401
     * invalid_token; a good token without the scope → 403 insufficient_scope.
     */
    public AccessToken requireScope(PresentedToken bearer, String scope) {
        if (bearer.absent()) {
            throw OAuthException.tokenRequired();
        }
        AccessToken token = usable(bearer.value(), bearer.certificateThumbprint())
                .orElseThrow(() -> OAuthException.invalidToken("The access token is invalid, expired or revoked, "
                        + "or bound to a client certificate this connection did not present"));
        if (!token.scopes().contains(scope)) {
            throw OAuthException.insufficientScope("The access token does not have scope " + scope, scope);
        }
        return token;
    }
}
