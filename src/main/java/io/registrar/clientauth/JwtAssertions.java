package io.registrar.clientauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.registrar.crypto.Secrets;
import io.registrar.metadata.Param;
import io.registrar.oauth.Vocabulary;
import io.registrar.oauth.OAuthException;
import io.registrar.store.AssertionReplayStore;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * JWT client assertions: private_key_jwt and client_secret_jwt (RFC 7523 §2.2 and §3, OpenID Connect
 * Core §9). The signature is checked before anything is recorded, so a forged assertion cannot use up
 * a jti; the jti is recorded last, in the store every node shares.
 */
final class JwtAssertions {

    private static final int MAX_JTI_LENGTH = 256;

    /** What an assertion claims before anything about it is believed. */
    record Unverified(SignedJWT jwt, JWTClaimsSet claims, String clientId) {
    }

    private final Vocabulary vocabulary;
    private final JwksSource jwks;
    private final AssertionReplayStore replays;
    private final Secrets secrets;
    private final Clock clock;
    private final Duration maxLifetime;
    private final Duration skew;

    JwtAssertions(Vocabulary vocabulary, JwksSource jwks, AssertionReplayStore replays, Secrets secrets, Clock clock, Duration maxLifetime,
                  Duration skew) {
        this.vocabulary = vocabulary;
        this.jwks = jwks;
        this.replays = replays;
        this.secrets = secrets;
        this.clock = clock;
        this.maxLifetime = maxLifetime;
        this.skew = skew;
    }

    /** RFC 7523 §3 (1, 2): iss and sub are both the client_id, which must agree with a client_id parameter. */
    static Unverified parse(ClientCredentials credentials) {
        if (!ClientCredentials.JWT_BEARER.equals(credentials.assertionType())) {
            throw OAuthException.invalidRequest("client_assertion_type must be " + ClientCredentials.JWT_BEARER);
        }
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(credentials.assertion());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw fail("client_assertion is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw fail("client_assertion must be signed; unsecured (alg none) and encrypted assertions are refused");
        }
        String iss = claims.getIssuer();
        if (iss == null || !iss.equals(claims.getSubject())) {
            throw fail("client_assertion: iss and sub must both be the client_id");
        }
        if (credentials.clientId() != null && !credentials.clientId().equals(iss)) {
            throw fail("client_assertion: iss and sub must match the client_id parameter");
        }
        return new Unverified(signed, claims, iss);
    }

    /** Checks signature, audience, times and jti for {@code client}, whose method is a JWT method. */
    void verify(Unverified a, RegisteredClient client, Set<String> audiences) {
        JWSAlgorithm alg = a.jwt().getHeader().getAlgorithm();
        boolean secretMethod = "client_secret_jwt".equals(client.method());
        List<String> allowed = vocabulary.assertionAlgsFor(client.method());
        if (!allowed.contains(alg.getName())) {
            throw fail("client_assertion: alg " + alg.getName() + " is not allowed for " + client.method() + "; allowed: " + allowed);
        }
        String registeredAlg = client.metadata().string(Param.TOKEN_ENDPOINT_AUTH_SIGNING_ALG);
        if (registeredAlg != null && !registeredAlg.equals(alg.getName())) {
            throw fail("client_assertion: this client registered token_endpoint_auth_signing_alg " + registeredAlg);
        }
        boolean valid = secretMethod ? verifyHmac(a.jwt(), client) : verifySignature(a.jwt(), client);
        if (!valid) {
            throw fail("client_assertion: the signature does not verify with the client's registered keys");
        }
        checkClaims(a.claims(), audiences);
        // RFC 7523 §3 (7): "The authorization server MAY ensure that JWTs are not replayed". We do,
        // with the store every node shares; the entry lives as long as the assertion could be valid.
        String jtiKey = secrets.hash(client.clientId() + "\u0000" + a.claims().getJWTID());
        Instant keepUntil = a.claims().getExpirationTime().toInstant().plus(skew);
        if (!replays.firstUse(jtiKey, keepUntil)) {
            throw fail("client_assertion: this jti has been used before");
        }
    }

    private void checkClaims(JWTClaimsSet c, Set<String> audiences) {
        List<String> aud = c.getAudience();
        if (aud == null || aud.stream().noneMatch(audiences::contains)) {
            throw fail("client_assertion: aud must be the token endpoint URL or the issuer");
        }
        Instant now = clock.instant();
        Date exp = c.getExpirationTime();
        if (exp == null) {
            throw fail("client_assertion: exp is required");
        }
        if (!now.isBefore(exp.toInstant().plus(skew))) {
            throw fail("client_assertion has expired");
        }
        if (exp.toInstant().isAfter(now.plus(maxLifetime).plus(skew))) {
            throw fail("client_assertion: exp is too far ahead; at most " + maxLifetime.toSeconds() + " s from now");
        }
        if (c.getNotBeforeTime() != null && c.getNotBeforeTime().toInstant().isAfter(now.plus(skew))) {
            throw fail("client_assertion is not valid yet (nbf)");
        }
        if (c.getIssueTime() != null && c.getIssueTime().toInstant().isAfter(now.plus(skew))) {
            throw fail("client_assertion: iat is in the future");
        }
        String jti = c.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw fail("client_assertion: jti is required (at most " + MAX_JTI_LENGTH + " characters)");
        }
    }

    private boolean verifyHmac(SignedJWT jwt, RegisteredClient client) {
        String secret = client.plainSecret();
        if (secret == null) {
            throw fail("client_assertion: the client has no secret for client_secret_jwt");
        }
        try {
            return jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (KeyLengthException e) {
            throw fail("client_assertion: the client's secret is too short for " + jwt.getHeader().getAlgorithm());
        } catch (JOSEException e) {
            return false;
        }
    }

    /**
     * OpenID Connect Core §10.1: with a kid, the key with that kid; without one, any key of the right
     * type. A kid the client's jwks_uri does not have yet triggers one refetch (key rotation).
     */
    private boolean verifySignature(SignedJWT jwt, RegisteredClient client) {
        String kid = jwt.getHeader().getKeyID();
        List<JWK> keys = kid == null ? jwks.keys(client.metadata()) : jwks.keysWhere(client.metadata(), k -> kid.equals(k.getKeyID()));
        if (kid != null && keys.isEmpty()) {
            throw fail("client_assertion: no registered key has kid '" + kid + "'");
        }
        for (JWK key : keys) {
            if (KeyUse.ENCRYPTION.equals(key.getKeyUse())) {
                continue;
            }
            JWSVerifier verifier = verifierFor(key, jwt.getHeader().getAlgorithm());
            try {
                if (verifier != null && jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException e) {
                // not this key
            }
        }
        return false;
    }

    private static JWSVerifier verifierFor(JWK key, JWSAlgorithm alg) {
        try {
            if (key instanceof RSAKey rsa && (JWSAlgorithm.Family.RSA.contains(alg))) {
                return new RSASSAVerifier(rsa);
            }
            if (key instanceof ECKey ec && JWSAlgorithm.ES256.equals(alg) && Curve.P_256.equals(ec.getCurve())) {
                return new ECDSAVerifier(ec);
            }
            if (key instanceof OctetKeyPair okp && JWSAlgorithm.EdDSA.equals(alg) && Curve.Ed25519.equals(okp.getCurve())) {
                return new Ed25519Verifier(okp.toPublicJWK());
            }
        } catch (JOSEException e) {
            return null;
        }
        return null;
    }

    private static OAuthException fail(String description) {
        return OAuthException.invalidClient(description, false);
    }
}
