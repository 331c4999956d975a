package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.oauth.Json;

import java.util.function.Supplier;

/** Discovery documents (RFC 8414 §3, OpenID Connect Discovery §4) and the JWKS (RFC 7517). */
final class DiscoveryHandler {

    private final Supplier<Api> api;
    private volatile String metadata;
    private volatile String jwks;

    DiscoveryHandler(Supplier<Api> api) {
        this.api = api;
    }

    void metadata(Context ctx) {
        String m = metadata;
        if (m == null) {
            metadata = m = Json.write(api.get().discovery());
        }
        Replies.publicJson(ctx, m, "application/json;charset=UTF-8");
    }

    void jwks(Context ctx) {
        String j = jwks;
        if (j == null) {
            jwks = j = Json.write(api.get().jwks());
        }
        Replies.publicJson(ctx, j, "application/jwk-set+json;charset=UTF-8");
    }
}
