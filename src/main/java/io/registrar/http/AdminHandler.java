package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.store.ClientStatus;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator API, every call with a dcrm access token: GET /admin/clients?user=U (a user's dynamic
 * clients), GET /admin/clients/{client_id}, POST /admin/clients/{client_id}/revoke and /enable (optional
 * JSON body {"reason": "..."}), GET /admin/templates, GET and PUT /admin/templates/{template_id}.
 */
final class AdminHandler {

    private final Supplier<Api> api;
    private final CertificateSource certificates;

    AdminHandler(Supplier<Api> api, CertificateSource certificates) {
        this.api = api;
        this.certificates = certificates;
    }

    void clientsOfUser(Context ctx) {
        Replies.json(ctx, 200, api.get().admin().clientsOfUser(token(ctx), ctx.queryParam("user")));
    }

    void client(Context ctx) {
        Replies.json(ctx, 200, api.get().admin().client(token(ctx), ctx.pathParam("client_id")));
    }

    void revoke(Context ctx) {
        changeStatus(ctx, ClientStatus.REVOKED);
    }

    void enable(Context ctx) {
        changeStatus(ctx, ClientStatus.ACTIVE);
    }

    private void changeStatus(Context ctx, ClientStatus status) {
        var token = token(ctx);
        Object reason = Requests.hasBody(ctx) ? Requests.jsonObject(ctx).get("reason") : null;
        if (reason != null && !(reason instanceof String)) {
            throw io.registrar.oauth.OAuthException.invalidRequest("reason must be a string");
        }
        Replies.json(ctx, 200, api.get().admin().changeStatus(token, ctx.pathParam("client_id"), status, (String) reason));
    }

    void templates(Context ctx) {
        Replies.json(ctx, 200, api.get().admin().templates(token(ctx)));
    }

    void template(Context ctx) {
        Replies.json(ctx, 200, api.get().admin().template(token(ctx), ctx.pathParam("template_id")));
    }

    void saveTemplate(Context ctx) {
        var token = token(ctx);
        Map<String, Object> body = Requests.jsonObject(ctx);
        Replies.json(ctx, 200, api.get().admin().saveTemplate(token, ctx.pathParam("template_id"), body));
    }

    private io.registrar.token.PresentedToken token(Context ctx) {
        return Requests.presentedToken(ctx, certificates.of(ctx));
    }
}
