package io.registrar.outbound;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

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
 * JWK Sets fetched from URLs through one {@link OutboundHttp} and cached: a client's {@code jwks_uri}
 * (RFC 7591 §2), a trusted directory's keys, a software's {@code software_jwks_uri}. An unknown kid may
 * mean the keys were rotated, so {@link #keysWhere} fetches once more early — but never more often than
 * the refetch floor per URL, so a stream of JWTs with made-up kids cannot turn the server into a fetch
 * amplifier. Failures are {@link OutboundException}s; each caller turns them into its own OAuth error.
 */
public final class JwksCache {

    private static final int MAX_CACHED = 10_000;

    private record Cached(List<JWK> keys, Instant fetchedAt) {
    }

    private final OutboundHttp http;
    private final Duration refetchFloor;
    private final Clock clock;
    private final Map<URI, Cached> cache = new ConcurrentHashMap<>();

    public JwksCache(OutboundHttp http, Duration refetchFloor, Clock clock) {
        this.http = http;
        this.refetchFloor = refetchFloor;
        this.clock = clock;
    }

    /** The keys at {@code uri}: from the cache while younger than {@code lifetime}, else fetched. */
    public List<JWK> keys(URI uri, Duration lifetime) {
        Cached c = cache.get(uri);
        if (c != null && clock.instant().isBefore(c.fetchedAt().plus(lifetime))) {
            return c.keys();
        }
        return fetch(uri);
    }

    /**
     * The keys at {@code uri} that are {@code wanted}. When none is, the keys may have been rotated:
     * the URL is fetched once more (floor permitting) and searched again. Empty when still none.
     */
    public List<JWK> keysWhere(URI uri, Duration lifetime, Predicate<JWK> wanted) {
        List<JWK> found = keys(uri, lifetime).stream().filter(wanted).toList();
        if (!found.isEmpty()) {
            return found;
        }
        Cached c = cache.get(uri);
        if (c != null && clock.instant().isBefore(c.fetchedAt().plus(refetchFloor))) {
            return List.of();
        }
        return fetch(uri).stream().filter(wanted).toList();
    }

    private List<JWK> fetch(URI uri) {
        byte[] body = http.get(uri, "application/jwk-set+json, application/json");
        List<JWK> keys;
        try {
            keys = JWKSet.parse(new String(body, StandardCharsets.UTF_8)).getKeys();
        } catch (java.text.ParseException | IllegalArgumentException e) {
            throw new OutboundException(uri + " did not return a JWK Set");
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(uri, new Cached(keys, clock.instant()));
        return keys;
    }
}
