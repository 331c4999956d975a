package io.registrar.http;

import io.javalin.http.Context;

import java.util.function.Supplier;

/** POST /token (RFC 6749 §3.2) and POST /introspect (RFC 7662 §2). */
final class TokenHandler {

    private final Supplier<Api> api;

    TokenHandler(Supplier<Api> api) {
        this.api = api;
    }

    void token(Context ctx) {
        var form = Requests.form(ctx);
        Replies.json(ctx, 200, api.get().tokens().token(Requests.clientCredentials(ctx, form), form));
    }

    void introspect(Context ctx) {
        var form = Requests.form(ctx);
        Replies.json(ctx, 200, api.get().tokens().introspect(Requests.clientCredentials(ctx, form), form));
    }
}
