package io.registrar.token;

import io.registrar.clientauth.AuthenticatedClient;
import io.registrar.clientauth.RegisteredClient;
import io.registrar.crypto.SecretBox;
import io.registrar.crypto.Secrets;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.oauth.Scopes;
import io.registrar.store.AccessToken;
import io.registrar.store.AuthorizationCode;
import io.registrar.store.GrantStore;
import io.registrar.store.RefreshToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The grants a user is behind: authorization_code (RFC 6749 §4.1.3, PKCE RFC 7636 §4.6) and
 * refresh_token (§6) with rotation and family revocation (RFC 9700 §4.14.2). Every token of one user
 * grant shares a grant id, so the family goes in one statement when a code or refresh token is replayed.
 *
 * <p>With {@code tokens.refreshTokenRotationLeeway} on (issue 21 §2), a rotated refresh token presented
 * again within the leeway, while the token that replaced it is unused, is no replay but a retry whose
 * response was lost: it gets the same answer again — the same new refresh token and the same access
 * token, kept encrypted for the window — so a retry mints nothing and the grant still has one current
 * refresh token. Handing back the same access token, rather than a fresh one, keeps the retry free of
 * side effects: no second live access token for a response the client may never have seen. Once the
 * new refresh token is used, the old one is a replay and revokes the family, as without a leeway.
 */
final class UserGrants {

    private static final Logger log = LoggerFactory.getLogger(UserGrants.class);
    /** RFC 7636 §4.1: code_verifier = 43*128unreserved. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final GrantStore grants;
    private final Secrets secrets;
    private final SecretBox secretBox;
    private final IdTokens idTokens;
    private final Clock clock;
    private final TokenPolicy policy;

    UserGrants(GrantStore grants, Secrets secrets, SecretBox secretBox, IdTokens idTokens, Clock clock, TokenPolicy policy) {
        this.grants = grants;
        this.secrets = secrets;
        this.secretBox = secretBox;
        this.idTokens = idTokens;
        this.clock = clock;
        this.policy = policy;
    }

    Map<String, Object> authorizationCode(AuthenticatedClient client, Map<String, String> form) {
        String code = required(form, "code");
        GrantStore.Redemption<AuthorizationCode> r = grants.redeemCode(secrets.tokenHash(code), clock.instant());
        if (r.outcome() == GrantStore.Outcome.REPLAYED) {
            // RFC 6749 §4.1.2: a code used twice revokes the tokens issued from it.
            int n = grants.revokeGrant(r.found().grantId());
            log.warn("authorization code replayed by client {}; revoked {} tokens of its grant", client.clientId(), n);
            throw invalidGrant("The authorization code was already used");
        }
        if (r.outcome() == GrantStore.Outcome.UNKNOWN) {
            throw invalidGrant("The authorization code is invalid or expired");
        }
        AuthorizationCode c = r.found();
        if (!c.clientId().equals(client.clientId())) {
            throw invalidGrant("The authorization code was issued to another client");
        }
        String redirectUri = form.get("redirect_uri");
        // §4.1.3: required, and identical, when the authorization request included it.
        if ((c.redirectUriSent() || redirectUri != null) && !c.redirectUri().equals(redirectUri)) {
            throw invalidGrant("redirect_uri does not match the authorization request");
        }
        checkPkce(c.codeChallenge(), form.get("code_verifier"));
        return issue(client, c.userId(), c.grantId(), c.scopes(), c.authTime(), c.nonce());
    }

    /** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) == code_challenge; a verifier without a challenge is refused too. */
    private static void checkPkce(String challenge, String verifier) {
        if (challenge == null) {
            if (verifier != null) {
                // RFC 9700 §4.8.2: a verifier for a request that had no challenge is a downgrade attempt.
                throw invalidGrant("code_verifier was sent but the authorization request had no code_challenge");
            }
            return;
        }
        if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
            throw invalidGrant("code_verifier is missing or malformed (RFC 7636 §4.1)");
        }
        String computed = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
        if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII))) {
            throw invalidGrant("code_verifier does not match the code_challenge");
        }
    }

    Map<String, Object> refresh(AuthenticatedClient client, Map<String, String> form) {
        String presented = required(form, "refresh_token");
        String hash = secrets.tokenHash(presented);
        RefreshToken old = grants.findRefreshToken(hash)
                .filter(t -> t.clientId().equals(client.clientId()))
                .orElseThrow(() -> invalidGrant("The refresh token is invalid"));
        if (old.rotated()) {
            Map<String, Object> again = answerAgain(client, old);
            if (again != null) {
                return again;
            }
            // RFC 9700 §4.14.2: an old refresh token came back; either the client or an attacker holds a
            // stolen copy, and the server cannot tell which, so the whole family is revoked.
            int n = grants.revokeGrant(old.grantId());
            log.warn("rotated refresh token replayed by client {}; revoked {} tokens of its grant", client.clientId(), n);
            throw invalidGrant("The refresh token was already used; every token of this grant has been revoked");
        }
        if (!old.clientActive() || !clock.instant().isBefore(old.expiresAt())) {
            throw invalidGrant("The refresh token is invalid or expired");
        }
        if (old.certificateThumbprint() != null && !Secrets.constantTimeEquals(old.certificateThumbprint(), client.certificateThumbprint())) {
            // RFC 8705 §4: a bound refresh token only with the certificate it is bound to.
            throw invalidGrant("The refresh token is bound to a client certificate this connection did not present");
        }
        List<String> scopes = old.scopes();
        String requested = form.get("scope");
        if (requested != null) {
            // §6: the new scope must not exceed what the grant holds.
            List<String> asked = Scopes.parse(requested);
            if (!new HashSet<>(old.scopes()).containsAll(asked)) {
                throw OAuthException.of(OAuthError.INVALID_SCOPE, "scope exceeds what was granted");
            }
            scopes = asked;
        }
        boolean leeway = !policy.refreshTokenRotationLeeway().isZero();
        Issued issued = newTokens(client, old.userId(), old.grantId(), scopes, old.authTime(), leeway ? hash : null);
        GrantStore.Replay replay = leeway ? new GrantStore.Replay(clock.instant().plus(policy.refreshTokenRotationLeeway()),
                seal(issued, scopes, hash)) : null;
        if (grants.rotate(hash, old.predecessorHash(), issued.access, issued.refresh, replay) != GrantStore.Outcome.DONE) {
            // Two requests with one refresh token at once, as a client that retries makes: within the
            // leeway the loser gets the winner's answer.
            Map<String, Object> again = leeway ? grants.findRefreshToken(hash).map(t -> answerAgain(client, t)).orElse(null) : null;
            if (again != null) {
                return again;
            }
            int n = grants.revokeGrant(old.grantId());
            log.warn("refresh token of client {} used twice at once; revoked {} tokens of its grant", client.clientId(), n);
            throw invalidGrant("The refresh token was already used; every token of this grant has been revoked");
        }
        return response(client, issued, old.userId(), scopes, old.authTime(), null);
    }

    private record Issued(AccessToken access, String accessToken, RefreshToken refresh, String refreshToken, Duration lifetime) {
    }

    /** The kept answer's members; the additional data of its encryption names the rotated token. */
    private static final String ACCESS_TOKEN = "access_token";
    private static final String REFRESH_TOKEN = "refresh_token";
    private static final String SCOPE = "scope";
    private static final String EXPIRES_AT = "expires_at";
    private static final String REPLAY_PURPOSE = "refresh-rotation:";

    /** The answer of a rotation, encrypted, to be given again for the rotated token {@code rotatedHash}. */
    private String seal(Issued issued, List<String> scopes, String rotatedHash) {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put(ACCESS_TOKEN, issued.accessToken);
        plain.put(REFRESH_TOKEN, issued.refreshToken);
        plain.put(SCOPE, String.join(" ", scopes));
        plain.put(EXPIRES_AT, issued.access.expiresAt().getEpochSecond());
        return secretBox.encrypt(Json.write(plain), REPLAY_PURPOSE + rotatedHash);
    }

    /**
     * The answer {@code rotated}'s rotation gave, again, when it is still kept for it (within the
     * leeway, the new token unused) and this request may have it as the first one did; null otherwise.
     * The access token's expires_in is what remains of it; an ID token is signed anew for it.
     */
    private Map<String, Object> answerAgain(AuthenticatedClient client, RefreshToken rotated) {
        Instant now = clock.instant();
        boolean bindingHolds = rotated.certificateThumbprint() == null
                || Secrets.constantTimeEquals(rotated.certificateThumbprint(), client.certificateThumbprint());
        if (policy.refreshTokenRotationLeeway().isZero() || !rotated.answeredAgainAt(now) || !rotated.clientActive() || !bindingHolds) {
            return null;
        }
        // The rotated token may be stale: if the token that replaced it was used since, nothing is kept any
        // more and this is a replay like any other.
        Optional<String> sealed = grants.keptAnswer(rotated.tokenHash(), now);
        if (sealed.isEmpty()) {
            return null;
        }
        Map<String, Object> kept = Json.parseObject(secretBox.decrypt(sealed.get(), REPLAY_PURPOSE + rotated.tokenHash()),
                OAuthError.SERVER_ERROR);
        String accessToken = (String) kept.get(ACCESS_TOKEN);
        List<String> scopes = Scopes.parse((String) kept.get(SCOPE));
        Instant accessExpiresAt = Instant.ofEpochSecond(((Number) kept.get(EXPIRES_AT)).longValue());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(ACCESS_TOKEN, accessToken);
        out.put("token_type", "Bearer");
        out.put("expires_in", Math.max(0L, Duration.between(now, accessExpiresAt).toSeconds()));
        out.put(REFRESH_TOKEN, kept.get(REFRESH_TOKEN));
        out.put(SCOPE, String.join(" ", scopes));
        if (scopes.contains("openid")) {
            out.put("id_token", idTokens.issue(new IdTokens.Claims(rotated.userId(), client.clientId(), null, rotated.authTime(),
                    accessToken), client.client().idTokenAlg(), now));
        }
        log.info("rotated refresh token of client {} presented again within the rotation leeway; answered as before",
                client.clientId());
        return out;
    }

    private Map<String, Object> issue(AuthenticatedClient client, String userId, String grantId, List<String> scopes,
                                      Instant authTime, String nonce) {
        Issued issued = newTokens(client, userId, grantId, scopes, authTime, null);
        grants.issue(issued.access, issued.refresh);
        return response(client, issued, userId, scopes, authTime, nonce);
    }

    /** @param replaces the refresh token the new one replaces, kept when a rotation leeway needs it; else null */
    private Issued newTokens(AuthenticatedClient client, String userId, String grantId, List<String> scopes, Instant authTime,
                             String replaces) {
        RegisteredClient registered = client.client();
        String binding = TokenService.binding(client);
        Instant now = clock.instant();
        boolean dcr = scopes.contains(TokenService.DCR_SCOPE);
        Duration lifetime = policy.accessTokenLifetime(registered, dcr);
        String accessToken = secrets.newToken();
        AccessToken access = new AccessToken(secrets.tokenHash(accessToken), client.clientId(), client.dynamic(), scopes, userId, now,
                now.plus(lifetime), policy.registrationsLeft(registered, new HashSet<>(scopes)), binding, true, grantId);
        RefreshToken refresh = null;
        String refreshToken = null;
        // Refresh tokens go to clients registered for the grant, never for a DCR token (it is single-purpose).
        // A public client gets one only when it is sender-constrained by its certificate (RFC 9700 §4.14.2, RFC 8705 §4).
        if (!dcr && client.grantTypes().contains("refresh_token") && (!registered.isPublic() || binding != null)) {
            Duration refreshLifetime = registered.refreshTokenLifetime() != null ? registered.refreshTokenLifetime()
                    : policy.refreshTokenLifetime();
            refreshToken = secrets.newToken();
            refresh = new RefreshToken(secrets.tokenHash(refreshToken), client.clientId(), client.dynamic(), userId, grantId, scopes,
                    authTime, now, now.plus(refreshLifetime), false, registered.isPublic() ? binding : null, true, replaces, null, null);
        }
        return new Issued(access, accessToken, refresh, refreshToken, lifetime);
    }

    private Map<String, Object> response(AuthenticatedClient client, Issued issued, String userId, List<String> scopes,
                                         Instant authTime, String nonce) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", issued.accessToken);
        out.put("token_type", "Bearer");
        out.put("expires_in", issued.lifetime.toSeconds());
        if (issued.refreshToken != null) {
            out.put("refresh_token", issued.refreshToken);
        }
        out.put("scope", String.join(" ", scopes));
        if (scopes.contains("openid")) {
            out.put("id_token", idTokens.issue(new IdTokens.Claims(userId, client.clientId(), nonce, authTime, issued.accessToken),
                    client.client().idTokenAlg(), clock.instant()));
        }
        return out;
    }

    private static String required(Map<String, String> form, String name) {
        String v = form.get(name);
        if (v == null || v.isEmpty()) {
            throw OAuthException.invalidRequest(name + " is required");
        }
        if (v.length() > 4096) {
            throw OAuthException.invalidRequest(name + " is too long");
        }
        return v;
    }

    private static OAuthException invalidGrant(String description) {
        return OAuthException.of(OAuthError.INVALID_GRANT, description);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
