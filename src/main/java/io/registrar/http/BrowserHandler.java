package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.authorize.AuthorizationResult;
import io.registrar.config.RegistrarConfig;
import io.registrar.login.LoginException;
import io.registrar.login.LoginService;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a browser talks to: GET/POST /authorize (RFC 6749 §4.1.1; OpenID Connect Core §3.1.2.1 allows
 * POST), POST /login (the login form), GET/POST /logout (RP-Initiated Logout). Owns the cookies: the
 * SSO session cookie ({@code Secure; HttpOnly; SameSite=Lax}, so it rides along when an app opens the
 * authorization URL) and the CSRF cookie of the forms ({@code SameSite=Strict}).
 */
final class BrowserHandler {

    static final String SESSION_COOKIE = "registrar_session";
    static final String CSRF_COOKIE = "registrar_csrf";
    private static final int MAX_REQUEST_FIELD = 16_384;

    private final Supplier<Api> api;
    private final TrustedProxies trustedProxies;

    BrowserHandler(Supplier<Api> api, RegistrarConfig.Server server) {
        this.api = api;
        this.trustedProxies = new TrustedProxies(server);
    }

    void authorize(Context ctx) {
        Map<String, List<String>> params = "POST".equals(ctx.method().name()) ? Requests.formParams(ctx) : ctx.queryParamMap();
        Api a = api.get();
        render(ctx, a.authorization().authorize(params, a.logins().session(ctx.cookie(SESSION_COOKIE)), false));
    }

    void login(Context ctx) {
        Map<String, List<String>> form = Requests.formParams(ctx);
        Api a = api.get();
        String request = one(form, "request");
        if (request == null || request.length() > MAX_REQUEST_FIELD) {
            Pages.message(ctx, 400, "Sign-in cannot continue", "The sign-in form was incomplete. Start again from the application.");
            return;
        }
        Map<String, List<String>> params = parse(request);
        String username = one(form, "username");
        if (!a.csrf().valid(ctx.cookie(CSRF_COOKIE), one(form, "csrf"))) {
            render(ctx, a.authorization().loginRefused(params, username,
                    "The sign-in form expired or came from another site. Please sign in again.", 400));
            return;
        }
        LoginService.SignedIn signedIn;
        try {
            signedIn = a.logins().signIn(username, one(form, "password"), trustedProxies.clientAddress(ctx));
        } catch (LoginException e) {
            if (e.throttled()) {
                // RFC 6585 §4: 429 may say how long to wait.
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            render(ctx, a.authorization().loginRefused(params, username, e.getMessage(), e.throttled() ? 429 : 401));
            return;
        }
        setCookie(ctx, SESSION_COOKIE, signedIn.cookieValue(), "Lax", a.logins().sessionLifetime().toSeconds());
        render(ctx, a.authorization().authorize(params, Optional.of(signedIn.session()), true));
    }

    void logout(Context ctx) {
        Api a = api.get();
        String cookie = ctx.cookie(SESSION_COOKIE);
        AuthorizationResult result;
        Map<String, List<String>> form = "POST".equals(ctx.method().name()) ? Requests.formParams(ctx) : Map.of();
        if (form.containsKey("csrf")) {
            // The confirmation form of this server.
            String request = one(form, "request");
            if (!a.csrf().valid(ctx.cookie(CSRF_COOKIE), one(form, "csrf")) || request == null || request.length() > MAX_REQUEST_FIELD) {
                Pages.message(ctx, 400, "Sign-out cannot continue", "The sign-out form expired or came from another site.");
                return;
            }
            result = a.endSession().endSession(parse(request), cookie, true);
        } else {
            Map<String, List<String>> params = "POST".equals(ctx.method().name()) ? form : ctx.queryParamMap();
            result = a.endSession().endSession(params, cookie, false);
        }
        if (a.logins().session(cookie).isEmpty() && cookie != null) {
            setCookie(ctx, SESSION_COOKIE, "", "Lax", 0);
        }
        render(ctx, result);
    }

    private void render(Context ctx, AuthorizationResult result) {
        switch (result) {
            case AuthorizationResult.Redirect r -> {
                ctx.header("Cache-Control", "no-store");
                ctx.header("Referrer-Policy", "no-referrer");
                ctx.redirect(r.location(), io.javalin.http.HttpStatus.SEE_OTHER);
            }
            case AuthorizationResult.LoginPage p ->
                    Pages.login(ctx, p.status(), p.clientName(), p.request(), p.username(), p.error(), csrfField(ctx));
            case AuthorizationResult.ConfirmLogout c -> Pages.confirmLogout(ctx, c.request(), csrfField(ctx));
            case AuthorizationResult.Page p -> Pages.message(ctx, p.status(), p.title(), p.message());
        }
    }

    /** The form's CSRF value, setting the cookie it is derived from when the browser has none. */
    private String csrfField(Context ctx) {
        Api a = api.get();
        String cookie = ctx.cookie(CSRF_COOKIE);
        if (cookie == null || cookie.isEmpty() || cookie.length() > 128) {
            cookie = a.csrf().newCookieValue();
            setCookie(ctx, CSRF_COOKIE, cookie, "Strict", -1);
        }
        return a.csrf().formValue(cookie);
    }

    /** maxAge: seconds; 0 deletes the cookie; negative makes it a browser-session cookie. */
    private static void setCookie(Context ctx, String name, String value, String sameSite, long maxAge) {
        StringBuilder b = new StringBuilder(name).append('=').append(value).append("; Path=/; Secure; HttpOnly; SameSite=").append(sameSite);
        if (maxAge >= 0) {
            b.append("; Max-Age=").append(maxAge);
        }
        ctx.res().addHeader("Set-Cookie", b.toString());
    }

    private static String one(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.size() != 1 ? null : v.getFirst();
    }

    /**
     * application/x-www-form-urlencoded, as the login form carries the authorization request. A
     * malformed pair is dropped: the authorization request is re-validated anyway.
     */
    static Map<String, List<String>> parse(String encoded) {
        return Requests.decodeForm(encoded, true);
    }
}
