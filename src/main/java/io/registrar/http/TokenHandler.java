package io.registrar.http;

import io.javalin.http.Context;

import java.util.function.Supplier;

/** POST /token (RFC 6749 §3.2), POST /introspect (RFC 7662 §2) and POST /revoke (RFC 7009 §2). */
final class TokenHandler {

    private final Supplier<Api> api;
    private final CertificateSource certificates;

    TokenHandler(Supplier<Api> api, CertificateSource certificates) {
        this.api = api;
        this.certificates = certificates;
    }

    void token(Context ctx) {
        var form = Requests.form(ctx);
        Replies.json(ctx, 200, api.get().tokens().token(Requests.clientCredentials(ctx, form, certificates.of(ctx)), form));
    }

    void introspect(Context ctx) {
        var form = Requests.form(ctx);
        Replies.json(ctx, 200, api.get().tokens().introspect(Requests.clientCredentials(ctx, form, certificates.of(ctx)), form));
    }

    /** RFC 7009 §2.2: 200 with an empty body, whether or not the token existed. */
    void revoke(Context ctx) {
        var form = Requests.form(ctx);
        api.get().tokens().revoke(Requests.clientCredentials(ctx, form, certificates.of(ctx)), form);
        ctx.header("Cache-Control", "no-store");
        ctx.status(200);
    }
}
