package io.registrar.token;

import io.registrar.clientauth.AuthenticatedClient;
import io.registrar.clientauth.ClientAuthenticator;
import io.registrar.clientauth.ClientCredentials;
import io.registrar.crypto.Secrets;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.store.AccessToken;
import io.registrar.store.TokenStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The token endpoint (RFC 6749 §3.2; client_credentials, §4.4) and introspection (RFC 7662).
 * Access tokens are opaque 256-bit random strings stored as HMAC hashes with their expiry.
 */
public final class TokenService {

    /** Scope of a DCR access token: may register clients (PRODUCT.md). */
    public static final String DCR_SCOPE = "dcr";
    /** Scope of an admin token: may manage any dynamic client. */
    public static final String DCRM_SCOPE = "dcrm";

    private final ClientAuthenticator authenticator;
    private final TokenStore tokens;
    private final AccessTokens accessTokens;
    private final Secrets secrets;
    private final Clock clock;
    private final Duration accessTokenLifetime;
    private final Duration initialTokenLifetime;
    private final int initialTokenUses;
    private final String issuer;

    public TokenService(ClientAuthenticator authenticator, TokenStore tokens, AccessTokens accessTokens, Secrets secrets,
                        Clock clock, Duration accessTokenLifetime, Duration initialTokenLifetime, int initialTokenUses,
                        String issuer) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.accessTokens = accessTokens;
        this.secrets = secrets;
        this.clock = clock;
        this.accessTokenLifetime = accessTokenLifetime;
        this.initialTokenLifetime = initialTokenLifetime;
        this.initialTokenUses = initialTokenUses;
        this.issuer = issuer;
    }

    /** RFC 6749 §5.1 successful response, or an OAuthException carrying §5.2's error. */
    public Map<String, Object> token(ClientCredentials credentials, Map<String, String> form) {
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        AuthenticatedClient client = authenticator.authenticate(credentials);
        if (!"client_credentials".equals(grantType)) {
            throw OAuthException.of(OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type '" + grantType + "' is not supported");
        }
        if (!client.grantTypes().contains("client_credentials")) {
            throw OAuthException.of(OAuthError.UNAUTHORIZED_CLIENT, "This client is not registered for the client_credentials grant");
        }
        List<String> scopes = grantedScopes(client, form.get("scope"));
        boolean dcr = scopes.contains(DCR_SCOPE);
        Instant now = clock.instant();
        Duration lifetime = dcr ? initialTokenLifetime : accessTokenLifetime;
        String token = secrets.newSecret();
        // A DCR token carries its registration budget; 0 configured uses means "until it expires".
        Integer registrationsLeft = dcr && initialTokenUses > 0 ? initialTokenUses : null;
        tokens.insert(new AccessToken(secrets.hash(token), client.clientId(), client.dynamic(), scopes, null, now,
                now.plus(lifetime), registrationsLeft, true));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", token);
        out.put("token_type", "Bearer");
        out.put("expires_in", lifetime.toSeconds());
        if (!scopes.isEmpty()) {
            out.put("scope", String.join(" ", scopes));
        }
        return out;
    }

    /**
     * RFC 6749 §3.3: without a scope parameter the client gets its registered scopes; with one,
     * every requested scope must be registered. dcr and dcrm exist only on configured static
     * clients, so no dynamic client can ever obtain them.
     */
    private static List<String> grantedScopes(AuthenticatedClient client, String requested) {
        if (requested == null) {
            return client.scopes();
        }
        List<String> asked = Arrays.stream(requested.trim().split(" +")).filter(s -> !s.isEmpty()).distinct().toList();
        for (String s : asked) {
            if (!client.scopes().contains(s)) {
                throw OAuthException.of(OAuthError.INVALID_SCOPE, "scope '" + s + "' is not allowed for this client");
            }
        }
        return asked;
    }

    /** RFC 7662 §2.2. Any authenticated client may introspect; unknown and dead tokens are just inactive. */
    public Map<String, Object> introspect(ClientCredentials credentials, Map<String, String> form) {
        authenticator.authenticate(credentials);
        String token = form.get("token");
        if (token == null || token.isEmpty()) {
            throw OAuthException.invalidRequest("token is required");
        }
        Optional<AccessToken> found = accessTokens.active(token);
        Map<String, Object> out = new LinkedHashMap<>();
        if (found.isEmpty()) {
            out.put("active", false);
            return out;
        }
        AccessToken t = found.get();
        out.put("active", true);
        out.put("scope", String.join(" ", t.scopes()));
        out.put("client_id", t.clientId());
        out.put("token_type", "Bearer");
        out.put("exp", t.expiresAt().getEpochSecond());
        out.put("iat", t.issuedAt().getEpochSecond());
        out.put("sub", t.subject() != null ? t.subject() : t.clientId());
        out.put("iss", issuer);
        return out;
    }
}
