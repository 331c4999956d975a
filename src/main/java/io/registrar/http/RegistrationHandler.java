package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.config.RegistrarConfig;
import io.registrar.registration.Caller;

import java.util.function.Supplier;

/** POST /register (RFC 7591 §3.1): a JSON body, or a signed request (application/jwt, application/jose). */
final class RegistrationHandler {

    private final Supplier<Api> api;
    private final CertificateSource certificates;
    private final TrustedProxies trustedProxies;

    RegistrationHandler(Supplier<Api> api, CertificateSource certificates, RegistrarConfig.Server server) {
        this.api = api;
        this.certificates = certificates;
        this.trustedProxies = new TrustedProxies(server);
    }

    void register(Context ctx) {
        var certificate = certificates.of(ctx);
        var caller = new Caller(Requests.presentedTokenIfAny(ctx, certificate), certificate, trustedProxies.clientAddress(ctx),
                ctx.header("Content-Type"));
        var info = Requests.isSignedRequest(ctx)
                ? api.get().registration().registerSigned(caller, Requests.compactJws(ctx))
                : api.get().registration().register(caller, Requests.jsonObject(ctx));
        ctx.header("Location", String.valueOf(info.get("registration_client_uri")));
        Replies.json(ctx, 201, info);
    }
}
