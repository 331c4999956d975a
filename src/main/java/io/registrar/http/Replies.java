package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.oauth.Json;

import java.util.Map;

/** Successful JSON responses. Anything carrying a credential is never cached (RFC 6749 §5.1, RFC 7591 §3.2.1). */
final class Replies {

    private Replies() {
    }

    static void json(Context ctx, int status, Map<String, ?> body) {
        ctx.status(status);
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        ctx.contentType("application/json;charset=UTF-8");
        ctx.result(Json.write(body));
    }

    /** Public documents (discovery, JWKS): cacheable for a few minutes. */
    static void publicJson(Context ctx, String body, String contentType) {
        ctx.status(200);
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType(contentType);
        ctx.result(body);
    }
}
