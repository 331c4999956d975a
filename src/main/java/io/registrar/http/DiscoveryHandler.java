package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.oauth.Json;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Discovery documents (RFC 8414 §3, OpenID Connect Discovery §4) and the JWKS (RFC 7517). */
final class DiscoveryHandler {

    private final Supplier<Api> api;
    private volatile byte[] metadata;
    private volatile byte[] jwks;

    DiscoveryHandler(Supplier<Api> api) {
        this.api = api;
    }

    void metadata(Context ctx) {
        byte[] m = metadata;
        if (m == null) {
            metadata = m = Json.write(api.get().discovery()).getBytes(StandardCharsets.UTF_8);
        }
        Replies.publicJson(ctx, m, "application/json;charset=UTF-8");
    }

    void jwks(Context ctx) {
        byte[] j = jwks;
        if (j == null) {
            jwks = j = Json.write(api.get().jwks()).getBytes(StandardCharsets.UTF_8);
        }
        Replies.publicJson(ctx, j, "application/jwk-set+json;charset=UTF-8");
    }
}
