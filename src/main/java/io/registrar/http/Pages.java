package io.registrar.http;

import io.javalin.http.Context;

/**
 * The server's few HTML pages (login, logout confirmation, messages): rendered here, with every
 * interpolated value escaped, no scripts and no external assets. A strict Content-Security-Policy and
 * frame-ancestors 'none' keep them from being framed (clickjacking) or made to load anything.
 */
final class Pages {

    private static final String STYLE = """
            body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1b1d21;margin:0}
            main{max-width:24rem;margin:10vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
            h1{font-size:1.4rem;margin:0 0 .25rem}
            p.sub{margin:0 0 1.5rem;color:#4a4f57}
            label{display:block;font-weight:600;margin:1rem 0 .25rem}
            input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:.6rem;font-size:1rem;border:1px solid #8a8f98;border-radius:4px}
            input:focus,button:focus{outline:3px solid #1a5fb4;outline-offset:1px}
            button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;font-weight:600;color:#fff;background:#1a5fb4;border:0;border-radius:4px;cursor:pointer}
            .error{background:#fdecea;color:#8a1c10;border:1px solid #e6a39b;border-radius:4px;padding:.6rem;margin:0 0 1rem}
            """;

    private Pages() {
    }

    static void login(Context ctx, int status, String clientName, String request, String username, String error, String csrf) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Sign in</h1><p class=\"sub\">to continue to <strong>").append(esc(clientName)).append("</strong></p>");
        if (error != null) {
            b.append("<p class=\"error\" role=\"alert\" id=\"login-error\">").append(esc(error)).append("</p>");
        }
        b.append("<form method=\"post\" action=\"/login\"");
        if (error != null) {
            b.append(" aria-describedby=\"login-error\"");
        }
        b.append(">")
                .append(hidden("csrf", csrf))
                .append(hidden("request", request))
                .append("<label for=\"username\">Username</label>")
                .append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" "
                        + "spellcheck=\"false\" required maxlength=\"255\"")
                .append(username == null || username.isEmpty() ? " autofocus" : " value=\"" + esc(username) + "\"")
                .append("><label for=\"password\">Password</label>")
                .append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required maxlength=\"1024\"")
                .append(username == null || username.isEmpty() ? "" : " autofocus")
                .append("><button type=\"submit\">Sign in</button></form>");
        write(ctx, status, "Sign in", b.toString());
    }

    static void confirmLogout(Context ctx, String request, String csrf) {
        String body = "<h1>Sign out?</h1><p class=\"sub\">An application asked to sign you out of this server.</p>"
                + "<form method=\"post\" action=\"/logout\">" + hidden("csrf", csrf) + hidden("request", request)
                + "<button type=\"submit\">Sign out</button></form>";
        write(ctx, 200, "Sign out", body);
    }

    static void message(Context ctx, int status, String title, String message) {
        write(ctx, status, title, "<h1>" + esc(title) + "</h1><p>" + esc(message) + "</p>");
    }

    private static void write(Context ctx, int status, String title, String body) {
        ctx.status(status);
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.contentType("text/html;charset=UTF-8");
        ctx.result("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" + esc(title)
                + " · Registrar</title><style>" + STYLE + "</style></head><body><main>" + body + "</main></body></html>");
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(value) + "\">";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
