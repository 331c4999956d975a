package io.registrar.http;

import io.javalin.http.Context;

import java.util.function.Supplier;

/** POST /register (RFC 7591 §3.1). */
final class RegistrationHandler {

    private final Supplier<Api> api;
    private final CertificateSource certificates;

    RegistrationHandler(Supplier<Api> api, CertificateSource certificates) {
        this.api = api;
        this.certificates = certificates;
    }

    void register(Context ctx) {
        var token = Requests.presentedToken(ctx, certificates.of(ctx));
        var body = Requests.jsonObject(ctx);
        var info = api.get().registration().register(token, body);
        ctx.header("Location", String.valueOf(info.get("registration_client_uri")));
        Replies.json(ctx, 201, info);
    }
}
