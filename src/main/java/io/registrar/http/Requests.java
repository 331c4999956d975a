package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.clientauth.ClientCertificate;
import io.registrar.clientauth.ClientCredentials;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.token.PresentedToken;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reading what a request carries: bearer tokens, client credentials, JSON and form bodies. */
final class Requests {

    private Requests() {
    }

    /** RFC 6750 §2.1: {@code Authorization: Bearer <token>}; null when absent. */
    static String bearerToken(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || h.isBlank()) {
            return null;
        }
        if (h.length() < 7 || !h.substring(0, 7).equalsIgnoreCase("Bearer ")) {
            throw OAuthException.invalidToken("The Authorization header must use the Bearer scheme");
        }
        String token = h.substring(7).trim();
        if (token.isEmpty()) {
            throw OAuthException.invalidToken("The bearer token is empty");
        }
        return token;
    }

    /** A JSON object body (registration and update requests). */
    static Map<String, Object> jsonObject(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw OAuthException.invalidRequest("Content-Type must be application/json");
        }
        return Json.parseObject(ctx.body(), OAuthError.INVALID_CLIENT_METADATA);
    }

    /** RFC 6749 §3.2: form-encoded parameters, each at most once (§3.1). */
    static Map<String, String> form(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw OAuthException.invalidRequest("Content-Type must be application/x-www-form-urlencoded");
        }
        Map<String, List<String>> params = ctx.formParamMap();
        Map<String, String> out = new HashMap<>();
        params.forEach((k, v) -> {
            if (v.size() > 1) {
                throw OAuthException.invalidRequest("The parameter " + k + " is repeated");
            }
            out.put(k, v.isEmpty() ? "" : v.getFirst());
        });
        return out;
    }

    /** The bearer token of this request with the connection's certificate thumbprint (RFC 8705 §3). */
    static PresentedToken presentedToken(Context ctx, ClientCertificate certificate) {
        return new PresentedToken(bearerToken(ctx), certificate == null ? null : certificate.thumbprint());
    }

    /**
     * How the client authenticates (RFC 6749 §2.3): client_secret_basic (Basic header with
     * form-url-encoded id and secret), client_secret_post (form parameters), a JWT assertion
     * (RFC 7523 §2.2: client_assertion_type and client_assertion), or client_id alone (none, or a
     * TLS client certificate, RFC 8705 §2). A client MUST NOT use more than one method per request.
     */
    static ClientCredentials clientCredentials(Context ctx, Map<String, String> form, ClientCertificate certificate) {
        String h = ctx.header("Authorization");
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
            return ClientCredentials.basic(id, secret, certificate);
        }
        if (assertion != null || assertionType != null) {
            if (assertion == null || assertion.isEmpty() || assertionType == null) {
                throw OAuthException.invalidRequest("client_assertion and client_assertion_type go together (RFC 7521 §4.2)");
            }
            return ClientCredentials.jwt(formId, assertionType, assertion, certificate);
        }
        if (formSecret != null) {
            return ClientCredentials.post(formId, formSecret, certificate);
        }
        if (formId != null) {
            return ClientCredentials.clientId(formId, certificate);
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
