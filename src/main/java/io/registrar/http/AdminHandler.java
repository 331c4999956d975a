package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.store.Backup;
import io.registrar.store.ClientStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator API, every call with a dcrm access token: GET /admin/clients?user=U (a user's dynamic
 * clients), GET /admin/clients/{client_id}, POST /admin/clients/{client_id}/revoke and /enable (optional
 * JSON body {"reason": "..."}), GET /admin/templates, GET and PUT /admin/templates/{template_id},
 * GET /admin/profiles, POST /admin/explain (a registration's decision trace, nothing stored), and
 * POST /admin/backup (the embedded database as a zip).
 */
final class AdminHandler {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

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

    void profiles(Context ctx) {
        Replies.json(ctx, 200, api.get().admin().profiles(token(ctx)));
    }

    /** POST /admin/explain: the decision trace of a registration or update, run with nothing stored (issue 20 §5). */
    void explain(Context ctx) {
        var token = token(ctx);
        Replies.json(ctx, 200, api.get().admin().explain(token,
                Requests.jsonObject(ctx, io.registrar.oauth.OAuthError.INVALID_REQUEST)));
    }

    void template(Context ctx) {
        Replies.json(ctx, 200, api.get().admin().template(token(ctx), ctx.pathParam("template_id")));
    }

    void saveTemplate(Context ctx) {
        var token = token(ctx);
        Map<String, Object> body = Requests.jsonObject(ctx);
        Replies.json(ctx, 200, api.get().admin().saveTemplate(token, ctx.pathParam("template_id"), body));
    }

    /**
     * The zip streamed back, so that an operator anywhere gets a file with one command and the server
     * keeps no copies to clean up or to fill its disk with. Content-Length lets the client tell a
     * complete copy from one cut short; Last-Modified is the time the copy stands for.
     */
    void backup(Context ctx) {
        try (Backup backup = api.get().admin().backup(token(ctx))) {
            ctx.status(200);
            ctx.header("Cache-Control", "no-store");
            ctx.header("Pragma", "no-cache");
            ctx.contentType("application/zip");
            ctx.header("Content-Disposition", "attachment; filename=\"" + backup.fileName() + "\"");
            ctx.header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(backup.takenAt().atOffset(ZoneOffset.UTC)));
            ctx.res().setContentLengthLong(backup.size());
            backup.content().transferTo(ctx.res().getOutputStream());
        } catch (IOException e) {
            // The client has gone (or the copy could not be read): the answer ends short of its
            // Content-Length, which the client sees as a failed download; nothing else can be said now.
            log.warn("backup not delivered: {}", e.toString());
        }
    }

    private io.registrar.token.PresentedToken token(Context ctx) {
        return Requests.presentedToken(ctx, certificates.of(ctx));
    }
}
