package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.clientauth.ClientCredentials;
import io.registrar.config.RegistrarConfig;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The endpoints where a client authenticates: POST /token (RFC 6749 §3.2), POST /introspect (RFC 7662
 * §2), POST /revoke (RFC 7009 §2) and POST /par (RFC 9126 §2).
 */
final class TokenHandler {

    private final Supplier<Api> api;
    private final CertificateSource certificates;
    private final TrustedProxies trustedProxies;

    TokenHandler(Supplier<Api> api, CertificateSource certificates, RegistrarConfig.Server server) {
        this.api = api;
        this.certificates = certificates;
        this.trustedProxies = new TrustedProxies(server);
    }

    private ClientCredentials credentials(Context ctx, Map<String, String> form) {
        return Requests.clientCredentials(ctx, form, certificates.of(ctx), trustedProxies.clientAddress(ctx));
    }

    void token(Context ctx) {
        var form = Requests.form(ctx);
        Replies.json(ctx, 200, api.get().tokens().token(credentials(ctx, form), form));
    }

    void introspect(Context ctx) {
        var form = Requests.form(ctx);
        Replies.json(ctx, 200, api.get().tokens().introspect(credentials(ctx, form), form));
    }

    /** RFC 9126 §2.2: 201 with the request_uri. */
    void pushAuthorizationRequest(Context ctx) {
        var form = Requests.form(ctx);
        Replies.json(ctx, 201, api.get().pushedAuthorization().push(credentials(ctx, form), form));
    }

    /** RFC 7009 §2.2: 200 with an empty body, whether or not the token existed. */
    void revoke(Context ctx) {
        var form = Requests.form(ctx);
        api.get().tokens().revoke(credentials(ctx, form), form);
        ctx.header("Cache-Control", "no-store");
        ctx.status(200);
    }
}
