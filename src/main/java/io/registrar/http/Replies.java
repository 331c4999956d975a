package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.oauth.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        send(ctx, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Public documents (discovery, JWKS), encoded once: cacheable for a few minutes. */
    static void publicJson(Context ctx, byte[] body, String contentType) {
        ctx.status(200);
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType(contentType);
        send(ctx, body);
    }

    /**
     * Writes the body straight to Jetty's (pooled) output buffer. Not {@code ctx.result(…)}: Javalin
     * then copies every response through a buffer it allocates per response, which was the largest
     * single source of garbage per request.
     */
    private static void send(Context ctx, byte[] body) {
        ctx.res().setContentLength(body.length);
        try {
            ctx.res().getOutputStream().write(body);
        } catch (IOException e) {
            // The client has gone; there is no one left to answer.
        }
    }
}
