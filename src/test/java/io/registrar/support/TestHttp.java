package io.registrar.support;

import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A thin java.net.http client for black-box tests. */
public final class TestHttp {

    public record Response(int status, java.net.http.HttpHeaders headers, String body) {
        public Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (com.nimbusds.oauth2.sdk.ParseException e) {
                throw new AssertionError("not a JSON object: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String string(String member) {
            Object v = json().get(member);
            return v == null ? null : v.toString();
        }

        /** Any RFC error answer (never a 500), whatever its code. */
        public Response assertTrueStatusBelow500() {
            org.junit.jupiter.api.Assertions.assertTrue(status >= 400 && status < 500, () -> status + " " + body);
            assertNotNull(json().get("error"), body);
            return this;
        }

        /** Asserts an RFC error response: status, code, and the no-store header. */
        public Response assertError(int expectedStatus, String expectedCode) {
            assertEquals(expectedStatus, status, () -> "status of " + body);
            assertEquals(expectedCode, json().get("error"), () -> "error of " + body);
            assertNotNull(json().get("error_description"), "error_description");
            assertEquals("no-store", header("Cache-Control"));
            return this;
        }
    }

    private final HttpClient client;
    public final String base;

    public TestHttp(String base) {
        this(base, null);
    }

    /** A client for {@code base} that presents the certificate in {@code tls} (mutual TLS), or none when null. */
    public TestHttp(String base, javax.net.ssl.SSLContext tls) {
        this.base = base;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.client = b.build();
    }

    public Response send(String method, String pathOrUrl, Map<String, String> headers, String body) {
        return exchange(method, pathOrUrl, headers,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    /** A request whose body goes out chunked, without a Content-Length. */
    public Response sendChunked(String method, String pathOrUrl, Map<String, String> headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return exchange(method, pathOrUrl, headers, HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)));
    }

    private Response exchange(String method, String pathOrUrl, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).method(method, body);
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + uri + " failed", e);
        }
    }

    public Response get(String path, String bearer) {
        return send("GET", path, bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer), null);
    }

    public Response delete(String path, String bearer) {
        return send("DELETE", path, bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer), null);
    }

    public Response postJson(String path, String bearer, String json) {
        return sendJson("POST", path, bearer, json);
    }

    public Response putJson(String path, String bearer, String json) {
        return sendJson("PUT", path, bearer, json);
    }

    private Response sendJson(String method, String path, String bearer, String json) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        if (bearer != null) {
            h.put("Authorization", "Bearer " + bearer);
        }
        return send(method, path, h, json);
    }

    /** A form POST with client_secret_basic credentials (or none when clientId is null). */
    public Response postFormBasic(String path, String clientId, String secret, Map<String, String> form) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/x-www-form-urlencoded");
        if (clientId != null) {
            h.put("Authorization", basic(clientId, secret));
        }
        return send("POST", path, h, formBody(form));
    }

    public Response postForm(String path, Map<String, String> form) {
        return send("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded"), formBody(form));
    }

    public static String basic(String id, String secret) {
        String raw = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A DCR access token for the test initial client. */
    public String dcrToken() {
        Response r = postFormBasic("/token", TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET,
                Map.of("grant_type", "client_credentials", "scope", "dcr"));
        assertEquals(200, r.status(), r.body());
        return r.string("access_token");
    }

    public String adminToken() {
        Response r = postFormBasic("/token", TestServer.ADMIN_CLIENT, TestServer.ADMIN_SECRET,
                Map.of("grant_type", "client_credentials", "scope", "dcrm"));
        assertEquals(200, r.status(), r.body());
        return r.string("access_token");
    }

    /** A client_credentials token request as {@code clientId} (client_secret_basic); no assertion. */
    public Response clientCredentialsToken(String clientId, String secret) {
        return postFormBasic("/token", clientId, secret, Map.of("grant_type", "client_credentials"));
    }

    /** Introspects {@code token} as the test resource server (client_secret_post); no assertion. */
    public Response introspect(String token) {
        return postForm("/introspect", Map.of("client_id", TestServer.RESOURCE_CLIENT,
                "client_secret", TestServer.RESOURCE_SECRET, "token", token));
    }

    /** Registers {@code json} with a fresh DCR token; asserts 201. */
    public Response register(String json) {
        Response r = postJson("/register", dcrToken(), json);
        assertEquals(201, r.status(), r.body());
        return r;
    }

    public static List<String> list(Object o) {
        @SuppressWarnings("unchecked")
        List<String> l = (List<String>) o;
        return l;
    }
}
