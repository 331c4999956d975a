package io.registrar.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The server's signing keys. Generated on first start and kept in the database through
 * {@code getOrCreate}, so every node of a cluster signs with, and publishes, the same keys.
 * RS256 and PS256 share the RSA key; ES256 uses a P-256 key.
 */
public final class KeyRing {

    private final List<JWK> keys;
    private final Map<String, Object> publicJwks;

    private KeyRing(List<JWK> keys) {
        this.keys = List.copyOf(keys);
        this.publicJwks = new JWKSet(keys).toPublicJWKSet().toJSONObject(true);
    }

    /**
     * @param getOrCreate (name, generator) → the stored value; inserts the generated one only when
     *                    none exists yet, so concurrent first starts agree on one key.
     */
    public static KeyRing load(BiFunction<String, Supplier<String>, String> getOrCreate) {
        List<JWK> keys = new ArrayList<>();
        keys.add(parse(getOrCreate.apply("signing-key:RSA", KeyRing::newRsaKey)));
        keys.add(parse(getOrCreate.apply("signing-key:EC-P256", KeyRing::newEcKey)));
        return new KeyRing(keys);
    }

    /** The public JWK Set document (RFC 7517 §5) served at jwks_uri. */
    public Map<String, Object> publicJwks() {
        return publicJwks;
    }

    public List<JWK> keys() {
        return keys;
    }

    private static JWK parse(String json) {
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("stored signing key is not a JWK", e);
        }
    }

    private static String newRsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyIDFromThumbprint(true)
                    .generate().toJSONString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newEcKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true).generate().toJSONString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
