package io.registrar.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import io.registrar.crypto.KeyRing;
import io.registrar.oauth.OAuthException;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * ID tokens (OpenID Connect Core §2, §3.1.3.7) signed with the client's id_token_signed_response_alg
 * by the server's keys, which the JWKS publishes: RS256 and PS256 with the RSA key, ES256 with the
 * P-256 key. Also reads back an id_token_hint (Core §3.1.2.1, RP-Initiated Logout §2).
 */
public final class IdTokens {

    /** What an ID token says about the sign-in it reports. */
    public record Claims(String userId, String clientId, String nonce, Instant authTime, String accessToken) {
    }

    /** The subject and audience of a verified id_token_hint. */
    public record Hint(String userId, String clientId) {
    }

    private final KeyRing keys;
    private final String issuer;
    private final Duration lifetime;

    public IdTokens(KeyRing keys, String issuer, Duration lifetime) {
        this.keys = keys;
        this.issuer = issuer;
        this.lifetime = lifetime;
    }

    public String issue(Claims c, String alg, Instant now) {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
        JWK key = keyFor(algorithm);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(c.userId())
                .audience(c.clientId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("auth_time", c.authTime().getEpochSecond())
                // One authentication method, a password (RFC 8176 §2); no acr is claimed, since no
                // authentication context class was requested or is distinguished.
                .claim("amr", List.of("pwd"))
                .claim("azp", c.clientId());
        if (c.nonce() != null) {
            claims.claim("nonce", c.nonce());
        }
        if (c.accessToken() != null) {
            // Core §3.1.3.6: at_hash, the left half of the hash of the access token with the alg's hash.
            claims.claim("at_hash", AccessTokenHash.compute(new com.nimbusds.oauth2.sdk.token.BearerAccessToken(c.accessToken()),
                    algorithm, null).getValue());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(signer(key));
        } catch (JOSEException e) {
            throw OAuthException.serverError("cannot sign the ID token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /**
     * An id_token_hint this server issued: signature and issuer checked, expiry not (RP-Initiated Logout
     * §2: an expired ID token is still a good hint). Empty when it is not one of ours.
     */
    public Optional<Hint> readHint(String idToken) {
        if (idToken == null || idToken.isEmpty() || idToken.length() > 8192) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(idToken);
            JWK key = keys.keys().stream().filter(k -> k.getKeyID().equals(jwt.getHeader().getKeyID())).findFirst().orElse(null);
            if (key == null || !jwt.verify(verifier(key)) || !issuer.equals(jwt.getJWTClaimsSet().getIssuer())
                    || jwt.getJWTClaimsSet().getAudience().size() != 1) {
                return Optional.empty();
            }
            return Optional.of(new Hint(jwt.getJWTClaimsSet().getSubject(), jwt.getJWTClaimsSet().getAudience().getFirst()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private JWK keyFor(JWSAlgorithm alg) {
        boolean ec = JWSAlgorithm.Family.EC.contains(alg);
        return keys.keys().stream().filter(k -> ec ? k instanceof ECKey : k instanceof RSAKey).findFirst()
                .orElseThrow(() -> OAuthException.serverError("no signing key for " + alg, null));
    }

    private static JWSSigner signer(JWK key) throws JOSEException {
        return key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
    }

    private static JWSVerifier verifier(JWK key) throws JOSEException {
        return key instanceof ECKey ec ? new ECDSAVerifier(ec.toPublicJWK()) : new RSASSAVerifier(((RSAKey) key).toPublicJWK());
    }
}
