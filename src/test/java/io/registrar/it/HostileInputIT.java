package io.registrar.it;

import io.registrar.support.RawHttp;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a clear RFC error, never a 500, on every endpoint that reads a body. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

    private TestServer server;
    private TestHttp http;
    private String uri;
    private String rat;
    private String clientId;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabase.H2, "management:\n  rotate: false\n");
        http = server.http;
        TestHttp.Response reg = http.register(DcrFlowTests.CC_CLIENT);
        uri = reg.string("registration_client_uri");
        rat = reg.string("registration_access_token");
        clientId = reg.string("client_id");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static Stream<String> bodies() {
        return Stream.of(
                // Deep nesting within the 64 KiB body limit must not overflow the parser's stack.
                "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
                "[".repeat(30_000) + "]".repeat(30_000),
                "{\"redirect_uris\":[null]}",
                "{\"redirect_uris\":[\"https://a.example/\\u0000\"]}",
                "{\"redirect_uris\":[\"https://[::1\"]}",
                "{\"redirect_uris\":[\"https:///cb\"]}",
                "{\"grant_types\":[1]}",
                "{\"grant_types\":[null]}",
                "{\"response_types\":{}}",
                "{\"contacts\":\"ops@example.com\"}",
                "{\"jwks\":{\"keys\":[1]},\"grant_types\":[\"client_credentials\"]}",
                "{\"jwks\":{\"keys\":[{\"kty\":\"EC\"}]},\"grant_types\":[\"client_credentials\"]}",
                "{\"jwks\":{\"keys\":[{\"kty\":\"RSA\",\"n\":\"x\",\"e\":\"AQAB\",\"d\":\"y\"}]},\"grant_types\":[\"client_credentials\"]}",
                "{\"jwks\":\"keys\",\"grant_types\":[\"client_credentials\"]}",
                "{\"jwks_uri\":\"not a uri at all\",\"grant_types\":[\"client_credentials\"]}",
                "{\"scope\":5,\"grant_types\":[\"client_credentials\"]}",
                "{\"default_max_age\":\"soon\",\"grant_types\":[\"client_credentials\"]}",
                "{\"token_endpoint_auth_method\":null}",
                "{\"application_type\":[\"web\"]}",
                "{\"software_statement\":5}",
                "\"just a string\"",
                "null",
                "{\"unterminated\":\"");
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void registrationRefusesWithAnRfcError(String body) {
        TestHttp.Response r = http.postJson("/register", http.dcrToken(), body);
        assertTrue(r.status() == 400, () -> r.status() + " " + r.body());
        assertTrue(r.string("error").startsWith("invalid_"), r.body());
        assertEquals("no-store", r.header("Cache-Control"));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void updateRefusesWithAnRfcError(String body) {
        String withId = body.startsWith("{\"") ? "{\"client_id\":\"" + clientId + "\"," + body.substring(1) : body;
        TestHttp.Response r = http.putJson(uri, rat, withId);
        assertTrue(r.status() == 400, () -> r.status() + " " + r.body());
        assertTrue(r.string("error").startsWith("invalid_"), r.body());
    }

    @Test
    void tokenAndIntrospectionRefuseMalformedRequests() {
        for (String path : new String[]{"/token", "/introspect"}) {
            http.send("POST", path, Map.of("Content-Type", "application/json"), "{}").assertError(400, "invalid_request");
            http.send("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic !!!"),
                    "grant_type=client_credentials&token=x").assertError(401, "invalid_client");
            http.send("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic Zm9v"),
                    "grant_type=client_credentials&token=x").assertError(401, "invalid_client");
            http.send("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                    "grant_type=client_credentials&grant_type=client_credentials&token=x&token=y").assertError(400, "invalid_request");
            http.send("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded"), "%%%=%%%")
                    .assertTrueStatusBelow500();
        }
        http.postForm("/introspect", Map.of("token", "x")).assertError(401, "invalid_client");
    }

    /** A charset parameter that names no charset is a malformed header: 400, on every endpoint that reads a body. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedContentTypes")
    void malformedContentTypesAreBadRequests(String contentType) {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((clientId + ":x").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String path : new String[]{"/token", "/introspect", "/revoke"}) {
            http.send("POST", path, Map.of("Content-Type", contentType, "Authorization", basic), "grant_type=client_credentials&token=x")
                    .assertError(400, "invalid_request");
        }
        http.send("POST", "/register", Map.of("Content-Type", contentType, "Authorization", "Bearer " + http.dcrToken()),
                DcrFlowTests.CC_CLIENT).assertError(400, "invalid_request");
        http.send("PUT", uri, Map.of("Content-Type", contentType, "Authorization", "Bearer " + rat), "{}")
                .assertError(400, "invalid_request");
        // The browser endpoints answer with pages; what matters is that none fails.
        for (String path : new String[]{"/login", "/authorize", "/userinfo"}) {
            TestHttp.Response r = http.send("POST", path, Map.of("Content-Type", contentType), "a=b");
            assertTrue(r.status() >= 400 && r.status() < 500, path + ": " + r.status() + " " + r.body());
        }
    }

    /** What Jetty refuses before our handlers (here a control character in a header) is RFC JSON whatever the method. */
    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "PATCH"})
    void requestsJettyRefusesGetJsonErrorsForEveryMethod(String method) {
        assertInvalidRequest(method + " /register/" + clientId + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer a\u0001b\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    /** Sends {@code request} exactly as written; expects 400 invalid_request as RFC JSON with Cache-Control: no-store. */
    private void assertInvalidRequest(String request) {
        RawHttp.Answer a = RawHttp.send(server.port(), request.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(400, a.status(), a::toString);
        assertTrue(a.body().contains("\"error\":\"invalid_request\""), a::toString);
        assertEquals("no-store", a.header("Cache-Control"));
    }

    /** A malformed percent-escape in a path parameter is the client's error on every route that has one. */
    @ParameterizedTest
    @ValueSource(strings = {"GET /register/%zz", "PUT /register/a%:b", "DELETE /register/%4", "GET /admin/clients/%CG",
            "POST /admin/clients/%%/revoke", "GET /admin/templates/%zz", "PUT /admin/templates/x%CG^K"})
    void malformedPercentEscapesInPathsAreBadRequests(String line) {
        assertInvalidRequest(line + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + server.http.adminToken()
                + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    }

    /** A request line without a version is HTTP/0.9, which is not spoken here: 505, and the client's error. */
    @Test
    void requestLineWithoutVersionIsTheClientsError() {
        RawHttp.Answer a = RawHttp.send(server.port(), "GET  HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(505, a.status(), a::toString);
        assertTrue(a.body().contains("\"error\":\"invalid_request\""), a::toString);
    }

    static Stream<String> malformedContentTypes() {
        return Stream.of("application/x-www-form-urlencoded; charset=bogus", "text/plain; charset=bogus",
                "application/json; charset=bogus", "application/json;charset=::",
                "application/x-www-form-urlencoded; charset=", ";", ";;", ";charset=bogus");
    }
}
