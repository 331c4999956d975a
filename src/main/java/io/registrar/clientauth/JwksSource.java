package io.registrar.clientauth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.Param;
import io.registrar.oauth.OAuthException;
import io.registrar.outbound.JwksCache;
import io.registrar.outbound.OutboundException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A client's public keys (RFC 7591 §2): by value from {@code jwks}, or fetched from {@code jwks_uri}
 * through the shared {@link JwksCache} (cached; one early refetch on an unknown kid, floor permitting).
 */
final class JwksSource {

    private final JwksCache cache;
    private final Duration lifetime;

    JwksSource(JwksCache cache, Duration lifetime) {
        this.cache = cache;
        this.lifetime = lifetime;
    }

    /** The client's keys: by value, or from the cache while fresh, else fetched. */
    List<JWK> keys(ClientMetadata m) {
        Object byValue = m.document().get(Param.JWKS);
        if (byValue != null) {
            return parse(byValue);
        }
        String uri = m.string(Param.JWKS_URI);
        if (uri == null) {
            return List.of();
        }
        return remote(uri, u -> cache.keys(u, lifetime));
    }

    /**
     * The client's keys that are {@code wanted}. When none is, the client may have rotated its keys:
     * jwks_uri is fetched once more (floor permitting) and searched again. Empty when still none.
     */
    List<JWK> keysWhere(ClientMetadata m, Predicate<JWK> wanted) {
        if (m.has(Param.JWKS) || m.string(Param.JWKS_URI) == null) {
            return keys(m).stream().filter(wanted).toList();
        }
        return remote(m.string(Param.JWKS_URI), u -> cache.keysWhere(u, lifetime, wanted));
    }

    private static List<JWK> remote(String uri, java.util.function.Function<URI, List<JWK>> fetch) {
        try {
            return fetch.apply(URI.create(uri));
        } catch (OutboundException e) {
            throw OAuthException.invalidClient("The client's jwks_uri could not be used: " + e.getMessage(), false);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("The client's jwks_uri is not a URL", false);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<JWK> parse(Object jwks) {
        try {
            return JWKSet.parse((Map<String, Object>) jwks).getKeys();
        } catch (java.text.ParseException | ClassCastException e) {
            throw OAuthException.invalidClient("The client's registered jwks is not a JWK Set", false);
        }
    }
}
