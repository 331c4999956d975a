package io.registrar.http;

import io.javalin.http.Context;

import java.util.function.Supplier;

/** GET and POST /userinfo (OpenID Connect Core §5.3.1), with the access token in the Authorization header. */
final class UserInfoHandler {

    private final Supplier<Api> api;
    private final CertificateSource certificates;

    UserInfoHandler(Supplier<Api> api, CertificateSource certificates) {
        this.api = api;
        this.certificates = certificates;
    }

    void userInfo(Context ctx) {
        Replies.json(ctx, 200, api.get().userInfo().userInfo(Requests.presentedToken(ctx, certificates.of(ctx))));
    }
}
