package io.registrar.token;

import io.registrar.clientauth.AuthenticatedClient;
import io.registrar.clientauth.ClientAuthenticator;
import io.registrar.clientauth.ClientCredentials;
import io.registrar.crypto.SecretBox;
import io.registrar.crypto.Secrets;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.oauth.Scopes;
import io.registrar.store.AccessToken;
import io.registrar.store.GrantStore;
import io.registrar.store.RefreshToken;
import io.registrar.store.TokenStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The token endpoint (RFC 6749 §3.2: client_credentials §4.4, authorization_code §4.1.3, refresh_token
 * §6), introspection (RFC 7662) and
 * revocation (RFC 7009). Access tokens are opaque 256-bit random strings stored as HMAC hashes with
 * their expiry, and with the thumbprint of the certificate they are bound to (RFC 8705 §3).
 */
public final class TokenService {

    /** Scope of a DCR access token: may register clients (PRODUCT.md). */
    public static final String DCR_SCOPE = "dcr";
    /** Scope of an admin token: may manage any dynamic client. */
    public static final String DCRM_SCOPE = "dcrm";

    private final ClientAuthenticator authenticator;
    private final TokenStore tokens;
    private final GrantStore grants;
    private final AccessTokens accessTokens;
    private final Secrets secrets;
    private final Clock clock;
    private final TokenPolicy policy;
    private final UserGrants userGrants;
    private final String issuer;
    private final Set<String> assertionAudiences;

    /** @param assertionAudiences the aud values a client assertion may carry: the issuer and this server's endpoint URLs */
    public TokenService(ClientAuthenticator authenticator, TokenStore tokens, GrantStore grants, AccessTokens accessTokens,
                        Secrets secrets, SecretBox secretBox, IdTokens idTokens, Clock clock, TokenPolicy policy, String issuer,
                        Set<String> assertionAudiences) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.grants = grants;
        this.accessTokens = accessTokens;
        this.secrets = secrets;
        this.clock = clock;
        this.policy = policy;
        this.userGrants = new UserGrants(grants, secrets, secretBox, idTokens, clock, policy);
        this.issuer = issuer;
        this.assertionAudiences = Set.copyOf(assertionAudiences);
    }

    /** RFC 6749 §5.1 successful response, or an OAuthException carrying §5.2's error. */
    public Map<String, Object> token(ClientCredentials credentials, Map<String, String> form) {
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        AuthenticatedClient client = authenticator.authenticate(credentials, assertionAudiences);
        if (!List.of("client_credentials", "authorization_code", "refresh_token").contains(grantType)) {
            throw OAuthException.of(OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type '" + grantType + "' is not supported");
        }
        if (!client.grantTypes().contains(grantType)) {
            throw OAuthException.of(OAuthError.UNAUTHORIZED_CLIENT, "This client is not registered for the " + grantType + " grant");
        }
        return switch (grantType) {
            case "authorization_code" -> userGrants.authorizationCode(client, form);
            case "refresh_token" -> userGrants.refresh(client, form);
            default -> clientCredentials(client, form);
        };
    }

    /** RFC 6749 §4.4. */
    private Map<String, Object> clientCredentials(AuthenticatedClient client, Map<String, String> form) {
        String binding = binding(client);
        List<String> scopes = grantedScopes(client, form.get("scope"));
        boolean dcr = scopes.contains(DCR_SCOPE);
        if (dcr && !policy.clientAuthenticatesRegistration()) {
            throw OAuthException.of(OAuthError.INVALID_SCOPE, "Registration authorised by client authentication is disabled "
                    + "(registration.authorization)");
        }
        Instant now = clock.instant();
        Duration lifetime = policy.accessTokenLifetime(client.client(), dcr);
        String token = secrets.newToken();
        tokens.insert(new AccessToken(secrets.tokenHash(token), client.clientId(), client.dynamic(), scopes, null, now,
                now.plus(lifetime), policy.registrationsLeft(client.client(), new java.util.HashSet<>(scopes)), binding, true, null));
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
     * RFC 8705 §3: the thumbprint tokens of this client are bound to. A client registered for bound
     * tokens gets them only over a connection that shows its certificate; an unbound token would defeat
     * the point.
     */
    static String binding(AuthenticatedClient client) {
        if (!client.certificateBound()) {
            return null;
        }
        if (client.certificateThumbprint() == null) {
            throw OAuthException.invalidRequest("This client's tokens are bound to its TLS client certificate; "
                    + "request them over mutual TLS");
        }
        return client.certificateThumbprint();
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
        List<String> asked = Scopes.parse(requested);
        for (String s : asked) {
            if (!client.scopes().contains(s)) {
                throw OAuthException.of(OAuthError.INVALID_SCOPE, "scope '" + s + "' is not allowed for this client");
            }
        }
        return asked;
    }

    /**
     * RFC 7662 §2.2. Any authenticated client may introspect; unknown and dead tokens are just inactive.
     * Access and refresh tokens alike: a refresh token is active until rotated, expired or revoked.
     */
    public Map<String, Object> introspect(ClientCredentials credentials, Map<String, String> form) {
        authenticator.authenticate(credentials, assertionAudiences);
        String token = requiredToken(form);
        Optional<AccessToken> found = accessTokens.active(token);
        if (found.isPresent()) {
            AccessToken t = found.get();
            return active("Bearer", t.scopes(), t.clientId(), t.subject() != null ? t.subject() : t.clientId(), t.issuedAt(),
                    t.expiresAt(), t.certificateThumbprint());
        }
        Optional<RefreshToken> refresh = grants.findRefreshToken(secrets.tokenHash(token))
                .filter(r -> !r.rotated() && r.clientActive() && clock.instant().isBefore(r.expiresAt()));
        if (refresh.isEmpty()) {
            return Map.of("active", false);
        }
        RefreshToken r = refresh.get();
        return active("refresh_token", r.scopes(), r.clientId(), r.userId(), r.issuedAt(), r.expiresAt(), r.certificateThumbprint());
    }

    /** RFC 7662 §2.2: the introspection response for an active token. */
    private Map<String, Object> active(String tokenType, List<String> scopes, String clientId, String subject, Instant issuedAt,
                                       Instant expiresAt, String certificateThumbprint) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        out.put("scope", String.join(" ", scopes));
        out.put("client_id", clientId);
        out.put("token_type", tokenType);
        out.put("exp", expiresAt.getEpochSecond());
        out.put("iat", issuedAt.getEpochSecond());
        out.put("sub", subject);
        out.put("iss", issuer);
        if (certificateThumbprint != null) {
            // RFC 8705 §3.2: the resource server compares this with the certificate it was shown.
            out.put("cnf", Map.of("x5t#S256", certificateThumbprint));
        }
        return out;
    }

    /**
     * RFC 7009 §2.1: the client revokes a token that was issued to it. An unknown, expired or already
     * revoked token is answered 200 all the same (§2.2): the client's goal, a dead token, is met.
     * Revoking a refresh token revokes its whole family: every access and refresh token of the grant.
     */
    public void revoke(ClientCredentials credentials, Map<String, String> form) {
        AuthenticatedClient client = authenticator.authenticate(credentials, assertionAudiences);
        String token = requiredToken(form);
        // token_type_hint is only a hint (§2.1): every token type this server issues is searched anyway.
        String hash = secrets.tokenHash(token);
        Optional<AccessToken> found = tokens.find(hash);
        if (found.isPresent()) {
            requireOwner(found.get().clientId(), client);
            tokens.delete(hash);
            return;
        }
        Optional<RefreshToken> refresh = grants.findRefreshToken(hash);
        if (refresh.isPresent()) {
            requireOwner(refresh.get().clientId(), client);
            grants.revokeGrant(refresh.get().grantId());
        }
    }

    private static void requireOwner(String owner, AuthenticatedClient client) {
        if (!owner.equals(client.clientId())) {
            throw OAuthException.of(OAuthError.UNAUTHORIZED_CLIENT, "The token was not issued to this client");
        }
    }

    private static String requiredToken(Map<String, String> form) {
        String token = form.get("token");
        if (token == null || token.isEmpty()) {
            throw OAuthException.invalidRequest("token is required");
        }
        if (token.length() > 4096) {
            throw OAuthException.invalidRequest("token is too long");
        }
        return token;
    }
}
