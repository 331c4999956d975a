package io.registrar.statement;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.security.Key;
import java.text.ParseException;
import java.util.List;
import java.util.function.Function;

/** What statements and signed requests share: parsing a compact JWS and checking it with Nimbus's verifiers. */
final class Jws {

    private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();

    private Jws() {
    }

    /**
     * A signed JWT, or {@code fail} with what it is instead: not a JWT, unsecured (alg none), encrypted.
     * RFC 7591 §2.3: a statement "MUST be digitally signed or MACed"; HMAC is refused where the
     * accepted algorithms are checked.
     */
    static SignedJWT parse(String compact, String what, Function<String, RuntimeException> fail) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(compact.strip());
            jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw fail.apply(what + " is not a JWT (a JWS in compact serialization)");
        }
        if (jwt instanceof PlainJWT) {
            throw fail.apply(what + " is unsecured (alg none); it must be signed");
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            throw fail.apply(what + " is encrypted; it must be a JWS");
        }
        return signed;
    }

    /** The keys that could have made this signature: the header's kid, key type and curve, use sig (RFC 7515 §4.1.4). */
    static JWKMatcher matcher(SignedJWT jwt) {
        return JWKMatcher.forJWSHeader(jwt.getHeader());
    }

    /** Whether one of {@code keys} verifies the signature. */
    static boolean verifiedByAny(SignedJWT jwt, List<JWK> keys) {
        for (JWK jwk : keys) {
            if (jwk.isPrivate()) {
                jwk = jwk.toPublicJWK();
            }
            for (Key key : KeyConverter.toJavaKeys(List.of(jwk))) {
                try {
                    JWSVerifier verifier = VERIFIERS.createJWSVerifier(jwt.getHeader(), key);
                    if (jwt.verify(verifier)) {
                        return true;
                    }
                } catch (JOSEException e) {
                    // not a key for this algorithm
                }
            }
        }
        return false;
    }
}
