package io.registrar.http;

import io.javalin.http.Context;

import java.util.function.Supplier;

/** GET, PUT, DELETE /register/{client_id} (RFC 7592 §2). */
final class ClientConfigurationHandler {

    private final Supplier<Api> api;
    private final CertificateSource certificates;

    ClientConfigurationHandler(Supplier<Api> api, CertificateSource certificates) {
        this.api = api;
        this.certificates = certificates;
    }

    void read(Context ctx) {
        Replies.json(ctx, 200, api.get().management().read(ctx.pathParam("client_id"), Requests.presentedToken(ctx, certificates.of(ctx))));
    }

    void update(Context ctx) {
        var token = Requests.presentedToken(ctx, certificates.of(ctx));
        var body = Requests.jsonObject(ctx);
        Replies.json(ctx, 200, api.get().management().update(ctx.pathParam("client_id"), token, body));
    }

    void delete(Context ctx) {
        api.get().management().delete(ctx.pathParam("client_id"), Requests.presentedToken(ctx, certificates.of(ctx)));
        ctx.header("Cache-Control", "no-store");
        ctx.status(204);
    }
}
