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
        String clientId = ctx.pathParam("client_id");
        Replies.json(ctx, 200, Requests.isSignedRequest(ctx)
                ? api.get().management().updateSigned(clientId, token, Requests.compactJws(ctx))
                : api.get().management().update(clientId, token, Requests.jsonObject(ctx)));
    }

    void delete(Context ctx) {
        api.get().management().delete(ctx.pathParam("client_id"), Requests.presentedToken(ctx, certificates.of(ctx)));
        ctx.header("Cache-Control", "no-store");
        ctx.status(204);
    }
}
