package io.registrar.clientauth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.Param;
import io.registrar.oauth.OAuthException;
import io.registrar.outbound.OutboundException;
import io.registrar.outbound.OutboundHttp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A client's public keys (RFC 7591 §2): by value from {@code jwks}, or fetched from {@code jwks_uri}
 * through the outbound client and cached. An unknown kid may mean the client rotated its keys, so
 * {@link #refetched} fetches again early — but never more often than the floor, so a stream of
 * assertions with made-up kids cannot turn the server into a fetch amplifier.
 */
final class JwksSource {

    private static final int MAX_CACHED = 10_000;

    private record Cached(List<JWK> keys, Instant fetchedAt) {
    }

    private final OutboundHttp http;
    private final Duration lifetime;
    private final Duration refetchFloor;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    JwksSource(OutboundHttp http, Duration lifetime, Duration refetchFloor, Clock clock) {
        this.http = http;
        this.lifetime = lifetime;
        this.refetchFloor = refetchFloor;
        this.clock = clock;
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
        Cached c = cache.get(uri);
        if (c != null && clock.instant().isBefore(c.fetchedAt().plus(lifetime))) {
            return c.keys();
        }
        return fetch(uri);
    }

    /**
     * The client's keys that are {@code wanted}. When none is, the client may have rotated its keys:
     * jwks_uri is fetched once more (floor permitting) and searched again. Empty when still none.
     */
    List<JWK> keysWhere(ClientMetadata m, Predicate<JWK> wanted) {
        List<JWK> found = keys(m).stream().filter(wanted).toList();
        if (!found.isEmpty()) {
            return found;
        }
        List<JWK> fresh = refetched(m);
        return fresh == null ? List.of() : fresh.stream().filter(wanted).toList();
    }

    /** Keys fetched again from jwks_uri, or null when there is no jwks_uri or the floor has not passed. */
    private List<JWK> refetched(ClientMetadata m) {
        String uri = m.string(Param.JWKS_URI);
        if (uri == null || m.has(Param.JWKS)) {
            return null;
        }
        Cached c = cache.get(uri);
        if (c != null && clock.instant().isBefore(c.fetchedAt().plus(refetchFloor))) {
            return null;
        }
        return fetch(uri);
    }

    private List<JWK> fetch(String uri) {
        List<JWK> keys;
        try {
            byte[] body = http.get(URI.create(uri), "application/jwk-set+json, application/json");
            keys = JWKSet.parse(new String(body, StandardCharsets.UTF_8)).getKeys();
        } catch (OutboundException e) {
            throw OAuthException.invalidClient("The client's jwks_uri could not be used: " + e.getMessage(), false);
        } catch (java.text.ParseException | IllegalArgumentException e) {
            throw OAuthException.invalidClient("The client's jwks_uri did not return a JWK Set", false);
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(uri, new Cached(keys, clock.instant()));
        return keys;
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
