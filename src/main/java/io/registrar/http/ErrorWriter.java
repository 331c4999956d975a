package io.registrar.http;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The only place that turns an error into a response: {@code {"error", "error_description"}} with
 * the RFC status, {@code Cache-Control: no-store}, and the {@code WWW-Authenticate} challenge that
 * RFC 6750 §3 (Bearer) or RFC 6749 §5.2 (Basic) asks for. A request without credentials gets the bare
 * challenge and nothing else (RFC 6750 §3.1). Anything that is not an {@link OAuthException} is a 500
 * with a generic text; its detail goes to the log only.
 */
final class ErrorWriter {

    private static final Logger log = LoggerFactory.getLogger(ErrorWriter.class);
    /** The protection space of every challenge (RFC 9110 §11.5); one space: the whole server. */
    private static final String REALM = "registrar";

    private ErrorWriter() {
    }

    static void write(Context ctx, OAuthException e) {
        OAuthError error = e.error();
        if (error == OAuthError.SERVER_ERROR) {
            log.error("request failed: {}", e.getMessage(), e.getCause());
        }
        String challenge = challenge(e);
        if (challenge != null) {
            ctx.header("WWW-Authenticate", challenge);
        }
        ctx.status(error.status());
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        if (error.code() == null) {
            // RFC 6750 §3.1: without credentials "the resource server SHOULD NOT include an error code
            // or other error information"; the challenge says all there is to say.
            ctx.result("");
            return;
        }
        ctx.contentType("application/json;charset=UTF-8");
        ctx.result(body(e));
    }

    /** The WWW-Authenticate value for {@code e}, or null when it carries none. */
    static String challenge(OAuthException e) {
        return switch (e.challenge()) {
            // RFC 6750 §3: the realm first, then (when a token was sent) error, error_description, scope.
            case BEARER -> e.error().code() == null ? "Bearer realm=\"" + REALM + "\""
                    : "Bearer realm=\"" + REALM + "\", error=\"" + e.error().code() + "\", error_description=\""
                    + quoted(e.description()) + "\"" + (e.requiredScope() != null ? ", scope=\"" + e.requiredScope() + "\"" : "");
            case BASIC -> "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";
            case NONE -> null;
        };
    }

    /** The RFC 6749 §5.2 / RFC 7591 §3.2.2 error body: only the code and the public description. */
    static String body(OAuthException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error().code());
        body.put("error_description", e.description());
        return Json.write(body);
    }

    /** The error for an HTTP status answered below our handlers (Javalin's own checks, Jetty's parser). */
    static OAuthException forStatus(int status) {
        return switch (status) {
            case 413 -> OAuthException.of(OAuthError.PAYLOAD_TOO_LARGE, "The request body is too large");
            case 431 -> OAuthException.invalidRequest("The request headers are too large");
            case 404 -> OAuthException.of(OAuthError.NOT_FOUND, "No such endpoint");
            case 405 -> OAuthException.of(OAuthError.METHOD_NOT_ALLOWED, "Method not allowed on this endpoint");
            case 415 -> OAuthException.of(OAuthError.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type");
            // Jetty's answer to a request line without a version (an HTTP/0.9 request): the client's fault.
            case 505 -> OAuthException.invalidRequest("The request line must end with HTTP/1.1");
            default -> status >= 500
                    ? OAuthException.serverError("HTTP " + status, null)
                    : OAuthException.invalidRequest("The request could not be read");
        };
    }

    /**
     * A status Javalin answered itself. RFC 9110 §15.5.6: a 405 MUST carry Allow with the methods the
     * target has; Javalin names the routes' methods in the exception's details (found on its router for
     * this path), and answers HEAD wherever there is GET (§9.3.2).
     */
    static void write(Context ctx, HttpResponseException e) {
        if (e.getStatus() == 405) {
            Set<String> methods = new LinkedHashSet<>();
            e.getDetails().values().forEach(v -> Arrays.stream(v.split(",")).map(String::trim)
                    .filter(m -> !m.isEmpty()).forEach(m -> {
                        methods.add(m);
                        if (m.equals("GET")) {
                            methods.add("HEAD");
                        }
                    }));
            ctx.header("Allow", String.join(", ", methods));
        }
        write(ctx, forStatus(e.getStatus()));
    }

    static void unexpected(Context ctx, Exception e) {
        write(ctx, OAuthException.serverError("unexpected " + e.getClass().getName() + ": " + e.getMessage(), e));
    }

    /** RFC 6750 §3: error_description is a quoted-string of %x20-21 / %x23-5B / %x5D-7E. */
    private static String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c <= 0x7E && c != '"' && c != '\\') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
