package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.clientauth.ClientCertificate;
import io.registrar.clientauth.ClientCredentials;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.token.PresentedToken;

import io.javalin.http.servlet.MaxRequestSize;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reading what a request carries: bearer tokens, client credentials, JSON and form bodies. */
final class Requests {

    private Requests() {
    }

    /**
     * RFC 6750 §2.1: {@code Authorization: Bearer <token>}. No Authorization header, or one with another
     * scheme, is a request without credentials (§3.1: "attempted using an unsupported authentication
     * method"): 401 with the bare challenge.
     */
    static String bearerToken(Context ctx) {
        return bearerToken(ctx.header("Authorization"));
    }

    /** The token of an {@code Authorization} header value (null when absent), as {@link #bearerToken(Context)}. */
    static String bearerToken(String h) {
        if (h == null || h.isBlank() || h.length() < 7 || !h.substring(0, 7).equalsIgnoreCase("Bearer ")) {
            throw OAuthException.tokenRequired();
        }
        String token = h.substring(7).trim();
        if (token.isEmpty()) {
            throw OAuthException.invalidToken("The bearer token is empty");
        }
        return token;
    }

    /** A JSON object body (registration and update requests). */
    static Map<String, Object> jsonObject(Context ctx) {
        return jsonObject(ctx, OAuthError.INVALID_CLIENT_METADATA);
    }

    /** A JSON object body; one that is not answers {@code error}. */
    static Map<String, Object> jsonObject(Context ctx, OAuthError error) {
        if (!hasContentType(ctx.header("Content-Type"), "application/json")) {
            throw OAuthException.invalidRequest("Content-Type must be application/json");
        }
        return Json.parseObject(bodyText(ctx), error);
    }

    /**
     * Whether the body is a signed registration request (issue 20 §4; UK Open Banking DCR 3.x): a JWS,
     * as application/jwt (RFC 7519 §10.3.1) or application/jose (RFC 7515 §9.2.1).
     */
    static boolean isSignedRequest(Context ctx) {
        String type = ctx.header("Content-Type");
        return hasContentType(type, "application/jwt") || hasContentType(type, "application/jose");
    }

    /** A signed request's body: the compact JWS as sent, under the same size limit as any body. */
    static String compactJws(Context ctx) {
        String jws = bodyText(ctx).strip();
        if (jws.isEmpty()) {
            throw OAuthException.invalidRequest("The body must be a signed JWT");
        }
        return jws;
    }

    /** Whether the body has anything but white space. */
    static boolean hasBody(Context ctx) {
        return !bodyText(ctx).isBlank();
    }

    /** RFC 6749 §3.2: form-encoded parameters, each at most once (§3.1). */
    static Map<String, String> form(Context ctx) {
        if (!hasContentType(ctx.header("Content-Type"), FORM)) {
            throw OAuthException.invalidRequest("Content-Type must be application/x-www-form-urlencoded");
        }
        return form(bodyText(ctx));
    }

    /** A form-url-encoded body whose parameters each appear at most once (RFC 6749 §3.1). */
    static Map<String, String> form(String encoded) {
        Map<String, String> out = new HashMap<>();
        decodeForm(encoded, false).forEach((k, v) -> {
            if (v.size() > 1) {
                throw OAuthException.invalidRequest("The parameter " + k + " is repeated");
            }
            out.put(k, v.getFirst());
        });
        return out;
    }

    /**
     * Every parameter of a form-encoded body, in order, repeats kept (the browser endpoints); empty when
     * the body is not a form. A body that is not form-url-encoded is 400 invalid_request.
     */
    static Map<String, List<String>> formParams(Context ctx) {
        if (!hasContentType(ctx.header("Content-Type"), FORM)) {
            return Map.of();
        }
        return decodeForm(bodyText(ctx), false);
    }

    /**
     * application/x-www-form-urlencoded text: every parameter in order, repeats kept; a parameter
     * without {@code =} has the empty value. A pair that does not decode is 400 invalid_request, or with
     * {@code dropMalformed} is left out.
     */
    static Map<String, List<String>> decodeForm(String encoded, boolean dropMalformed) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            } catch (IllegalArgumentException e) {
                if (!dropMalformed) {
                    throw OAuthException.invalidRequest("The form body is not form-url-encoded");
                }
            }
        }
        return params;
    }

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String BODY = "registrar.body";

    /**
     * Read from the raw header: the servlet's getContentType() looks the charset up and throws on one
     * it does not know, which would be a 500. Bodies are read as UTF-8 (RFC 8259 §8.1; form bodies are
     * percent-encoded ASCII), but a charset parameter that names no charset at all is malformed
     * (RFC 9110 §8.3): 400.
     */
    static boolean hasContentType(String header, String type) {
        if (header == null) {
            return false;
        }
        // -1 keeps empty parts: ";" alone is an empty media type, not no parts at all.
        String[] parts = header.split(";", -1);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0 && parts[i].substring(0, eq).strip().equalsIgnoreCase("charset")
                    && !isCharset(parts[i].substring(eq + 1).strip().replace("\"", ""))) {
                throw OAuthException.invalidRequest("The Content-Type names an unknown charset");
            }
        }
        return parts[0].strip().toLowerCase(Locale.ROOT).equals(type);
    }

    private static boolean isCharset(String name) {
        try {
            return java.nio.charset.Charset.isSupported(name);
        } catch (java.nio.charset.IllegalCharsetNameException e) {
            return false;
        }
    }

    /**
     * The body as UTF-8 text (RFC 8259 §8.1 for JSON; forms are UTF-8 here too), read once per request.
     * Not Javalin's {@code ctx.body()}: that copies every body through a new 8 KiB buffer and a growing
     * array, which was a tenth of all a registration allocated; a body is a few hundred bytes. The
     * configured limit (server.maxRequestBytes) holds the same: 413 beyond it, whether the length is
     * declared or the body is chunked.
     */
    private static String bodyText(Context ctx) {
        String cached = ctx.attribute(BODY);
        if (cached != null) {
            return cached;
        }
        // A Java array holds at most ~2 GiB, whatever the configured limit.
        long max = Math.min(ctx.appData(MaxRequestSize.INSTANCE.getMaxRequestSizeKey()), Integer.MAX_VALUE - 9);
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw tooLarge(ctx, declared, max);
        }
        byte[] body;
        try {
            InputStream in = ctx.req().getInputStream();
            body = in.readNBytes((int) (declared >= 0 ? declared : max + 1));
        } catch (IOException e) {
            throw OAuthException.invalidRequest("The request body could not be read");
        }
        if (body.length > max) {
            throw tooLarge(ctx, declared, max);
        }
        if (declared >= 0 && body.length < declared) {
            throw OAuthException.invalidRequest("The request body is shorter than its Content-Length");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        ctx.attribute(BODY, text);
        return text;
    }


    /** How much of a too-large body is still read and thrown away, so that its 413 is not lost. */
    private static final long DISCARDED_EXCESS = 1 << 20;

    /**
     * A client that is still sending when the server answers and closes sees a reset instead of the
     * 413 (RFC 9112 §9.6). A body that is only modestly too large is read to its end first, so the
     * client gets its JSON error; a huge one is refused without reading further.
     */
    private static OAuthException tooLarge(Context ctx, long declared, long max) {
        // A client that asked to be told first (Expect: 100-continue, RFC 9110 §10.1.1) has sent no body yet.
        boolean waiting = "100-continue".equalsIgnoreCase(ctx.header("Expect"));
        if (!waiting && (declared < 0 || declared - max <= DISCARDED_EXCESS)) {
            try {
                InputStream in = ctx.req().getInputStream();
                byte[] sink = new byte[8192];
                long budget = DISCARDED_EXCESS + max;
                for (int n; budget > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, budget))) > 0; ) {
                    budget -= n;
                }
            } catch (IOException e) {
                // the client went away; nothing is left to answer
            }
        }
        return ErrorWriter.forStatus(413);
    }

    /**
     * The bearer token of this request with the connection's certificate thumbprint (RFC 8705 §3). Every
     * endpoint that takes one requires it: /register, /register/{client_id}, /userinfo, /admin.
     */
    static PresentedToken presentedToken(Context ctx, ClientCertificate certificate) {
        return new PresentedToken(bearerToken(ctx), certificate == null ? null : certificate.thumbprint());
    }

    /**
     * As {@link #presentedToken}, but a request without an Authorization header presents no token
     * ({@link PresentedToken#absent()}) instead of being refused here: registration has ways in that
     * need no token (issue 20 §1), and the service decides when none applies.
     */
    static PresentedToken presentedTokenIfAny(Context ctx, ClientCertificate certificate) {
        String h = ctx.header("Authorization");
        return h == null || h.isBlank() ? new PresentedToken(null, certificate == null ? null : certificate.thumbprint())
                : presentedToken(ctx, certificate);
    }

    /**
     * How the client authenticates (RFC 6749 §2.3): client_secret_basic (Basic header with
     * form-url-encoded id and secret), client_secret_post (form parameters), a JWT assertion
     * (RFC 7523 §2.2: client_assertion_type and client_assertion), or client_id alone (none, or a
     * TLS client certificate, RFC 8705 §2). A client MUST NOT use more than one method per request.
     */
    static ClientCredentials clientCredentials(Context ctx, Map<String, String> form, ClientCertificate certificate, String address) {
        return clientCredentials(ctx.header("Authorization"), form, certificate, address);
    }

    /** {@link #clientCredentials(Context, Map, ClientCertificate, String)} from the Authorization header's value (null when absent). */
    static ClientCredentials clientCredentials(String h, Map<String, String> form, ClientCertificate certificate, String address) {
        String formId = form.get("client_id");
        String formSecret = form.get("client_secret");
        String assertion = form.get("client_assertion");
        String assertionType = form.get("client_assertion_type");
        boolean basic = h != null && h.length() >= 6 && h.substring(0, 6).equalsIgnoreCase("Basic ");
        int methods = (basic ? 1 : 0) + (formSecret != null ? 1 : 0) + (assertion != null || assertionType != null ? 1 : 0);
        if (methods > 1) {
            throw OAuthException.invalidRequest("Use one client authentication method: Basic, client_secret or client_assertion");
        }
        if (basic) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthException.invalidClient("The Basic credentials are not valid base64", true);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthException.invalidClient("The Basic credentials must be client_id:client_secret", true);
            }
            String id = urlDecode(decoded.substring(0, colon));
            String secret = urlDecode(decoded.substring(colon + 1));
            if (formId != null && !formId.equals(id)) {
                throw OAuthException.invalidRequest("client_id in the body differs from the authenticated client");
            }
            return ClientCredentials.basic(id, secret, certificate, address);
        }
        if (assertion != null || assertionType != null) {
            if (assertion == null || assertion.isEmpty() || assertionType == null) {
                throw OAuthException.invalidRequest("client_assertion and client_assertion_type go together (RFC 7521 §4.2)");
            }
            return ClientCredentials.jwt(formId, assertionType, assertion, certificate, address);
        }
        if (formSecret != null) {
            return ClientCredentials.post(formId, formSecret, certificate, address);
        }
        if (formId != null) {
            return ClientCredentials.clientId(formId, certificate, address);
        }
        return null;
    }

    private static String urlDecode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("The Basic credentials are not form-url-encoded", true);
        }
    }
}
