package io.registrar.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds RFC 7523 client assertions for tests, correct by default and wrong where a test says so. */
public final class Assertions {

    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private String iss;
    private String sub;
    private String aud;
    private Instant exp = Instant.now().plus(Duration.ofMinutes(1));
    private String jti = UUID.randomUUID().toString();
    private JWSAlgorithm alg;
    private String kid;
    private boolean kidSet;
    private JWSSigner signer;

    private Assertions(String clientId, String aud) {
        this.iss = clientId;
        this.sub = clientId;
        this.aud = aud;
    }

    /** Signed with {@code key} (RSA: RS256, EC: ES256, OKP: EdDSA), kid from the key. */
    public static Assertions signedBy(JWK key, String clientId, String aud) {
        Assertions a = new Assertions(clientId, aud);
        try {
            if (key instanceof RSAKey rsa) {
                a.signer = new RSASSASigner(rsa);
                a.alg = JWSAlgorithm.RS256;
            } else if (key instanceof ECKey ec) {
                a.signer = new ECDSASigner(ec);
                a.alg = JWSAlgorithm.ES256;
            } else if (key instanceof OctetKeyPair okp) {
                a.signer = new Ed25519Signer(okp);
                a.alg = JWSAlgorithm.EdDSA;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        a.kid = key.getKeyID();
        return a;
    }

    /** client_secret_jwt: HMAC under the client secret. */
    public static Assertions hmac(String secret, JWSAlgorithm alg, String clientId, String aud) {
        Assertions a = new Assertions(clientId, aud);
        try {
            a.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        a.alg = alg;
        return a;
    }

    public Assertions alg(JWSAlgorithm alg) {
        this.alg = alg;
        return this;
    }

    public Assertions iss(String iss) {
        this.iss = iss;
        return this;
    }

    public Assertions aud(String aud) {
        this.aud = aud;
        return this;
    }

    public Assertions exp(Instant exp) {
        this.exp = exp;
        return this;
    }

    public Assertions jti(String jti) {
        this.jti = jti;
        return this;
    }

    public Assertions kid(String kid) {
        this.kid = kid;
        this.kidSet = true;
        return this;
    }

    public JWTClaimsSet claims() {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(iss).subject(sub).audience(aud)
                .issueTime(new Date()).jwtID(jti);
        if (exp != null) {
            b.expirationTime(Date.from(exp));
        }
        return b.build();
    }

    public String jwt() {
        try {
            JWSHeader header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kidSet || kid != null ? kid : null).build();
            SignedJWT jwt = new SignedJWT(header, claims());
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured JWT (alg none) with the same claims. */
    public String unsecured() {
        return new com.nimbusds.jwt.PlainJWT(claims()).serialize();
    }

    /** The form of a client_credentials token request authenticated by {@code assertion}. */
    public static Map<String, String> tokenForm(String assertion) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_assertion_type", JWT_BEARER);
        form.put("client_assertion", assertion);
        return form;
    }
}
