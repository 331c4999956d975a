package io.registrar.it;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformationResponse;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientRegistrationRequest;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientRegistrationResponseParser;
import io.registrar.support.CookieBrowser;
import io.registrar.support.MobileApp;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static io.registrar.support.TestServer.RESOURCE_CLIENT;
import static io.registrar.support.TestServer.RESOURCE_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The foundation's user path, black-box over HTTP: an initial client gets a dcr token, registers an
 * application client (RFC 7591), manages it (RFC 7592), and the application client gets tokens with
 * its own secret. Runs once per store (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DcrFlowTests {

    static final String CC_CLIENT = """
            {"client_name":"Inventory sync","grant_types":["client_credentials"],"scope":"api"}""";

    static final String DANA_PASSWORD = "dana-password-1";

    TestServer server;
    TestServer reuseServer;
    TestHttp http;

    abstract TestDatabase database();

    @BeforeAll
    void startServers() {
        server = TestServer.start(database(), "users:\n  - {username: dana, password: " + DANA_PASSWORD + "}\n");
        // The second server also runs with templatized DCR off: software_id is then free-form (RFC 7591 §2).
        reuseServer = TestServer.start(database(), "management:\n  rotate: false\nregistration:\n  softwareIdSelectsTemplate: false\n");
        http = server.http;
    }

    @AfterAll
    void stopServers() {
        server.close();
        reuseServer.close();
    }

    // ---------------------------------------------------------------- registration (RFC 7591)

    @Test
    void registeredClientGetsItsOwnTokensWithTheSecretItWasGiven() {
        Response reg = http.register(CC_CLIENT);
        Map<String, Object> info = reg.json();
        String clientId = (String) info.get("client_id");
        String secret = (String) info.get("client_secret");

        assertTrue(clientId.length() >= 22, "client_id carries at least 128 random bits");
        assertTrue(secret.length() >= 43, "client_secret carries at least 256 random bits");
        assertEquals(0L, ((Number) info.get("client_secret_expires_at")).longValue());
        assertNotNull(info.get("client_id_issued_at"));
        assertNotNull(info.get("registration_access_token"));
        assertEquals(server.issuer() + "/register/" + clientId, info.get("registration_client_uri"));
        assertEquals(info.get("registration_client_uri"), reg.header("Location"));
        assertEquals("no-store", reg.header("Cache-Control"));
        assertEquals("no-cache", reg.header("Pragma"));
        assertEquals("client_secret_basic", info.get("token_endpoint_auth_method"));
        assertEquals(List.of("client_credentials"), info.get("grant_types"));
        assertEquals("Inventory sync", info.get("client_name"));

        Response token = http.clientCredentialsToken(clientId, secret);
        assertEquals(200, token.status(), token.body());
        assertEquals("Bearer", token.string("token_type"));
        assertEquals("api", token.string("scope"));
        assertEquals("no-store", token.header("Cache-Control"));

        Map<String, Object> introspection = http.introspect(token.string("access_token")).json();
        assertEquals(true, introspection.get("active"));
        assertEquals(clientId, introspection.get("client_id"));
        assertEquals("api", introspection.get("scope"));
    }

    @Test
    void missingMetadataGetsTheDefaultsAndTheResponseShowsWhatWasStored() {
        Map<String, Object> info = http.register("{\"redirect_uris\":[\"https://app.example.com/cb\"]}").json();
        assertEquals(List.of("authorization_code"), info.get("grant_types"));
        assertEquals(List.of("code"), info.get("response_types"));
        assertEquals("client_secret_basic", info.get("token_endpoint_auth_method"));
        assertEquals("web", info.get("application_type"));
        assertEquals("RS256", info.get("id_token_signed_response_alg"));
    }

    @Test
    void unknownMetadataIsIgnoredLanguageTagsAreKeptAndScopesAreCapped() {
        Map<String, Object> info = reuseServer.http.register("""
                {"grant_types":["client_credentials"],"scope":"api admin:all","x_unknown":{"a":1},
                 "client_name":"Shop","client_name#ja-Jpan-JP":"\u30b7\u30e7\u30c3\u30d7",
                 "software_id":"4NRB1-0XZABZI9E6-5SM3R","software_version":"2.1"}""").json();
        assertFalse(info.containsKey("x_unknown"));
        assertEquals("\u30b7\u30e7\u30c3\u30d7", info.get("client_name#ja-Jpan-JP"));
        assertEquals("api", info.get("scope"));
        assertEquals("4NRB1-0XZABZI9E6-5SM3R", info.get("software_id"));
        assertEquals("2.1", info.get("software_version"));
    }

    @Test
    void publicClientGetsNoSecret() {
        Map<String, Object> info = http.register("""
                {"application_type":"native","token_endpoint_auth_method":"none",
                 "redirect_uris":["com.example.app:/oauth2redirect","http://127.0.0.1/callback"]}""").json();
        assertNull(info.get("client_secret"));
        assertNull(info.get("client_secret_expires_at"));
        assertEquals("none", info.get("token_endpoint_auth_method"));
    }

    @Test
    void requestsWithoutCredentialsGetABareBearerChallenge() {
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String clientId = (String) reg.get("client_id");
        Map<String, String> json = Map.of("Content-Type", "application/json");
        // RFC 6750 §3.1: a request without credentials (or with another scheme) learns that a bearer
        // token is wanted, and nothing else: no error code, no description.
        List<Response> bare = List.of(
                http.postJson("/register", null, CC_CLIENT),
                http.send("POST", "/register", Map.of("Content-Type", "application/json", "Authorization", "Basic abc"), CC_CLIENT),
                http.get(uri, null),
                http.send("PUT", uri, json, "{\"client_id\":\"" + clientId + "\"}"),
                http.delete(uri, null),
                http.get("/userinfo", null),
                http.send("POST", "/userinfo", Map.of(), null),
                http.get("/admin/clients?user=alice", null),
                http.get("/admin/clients/" + clientId, null),
                http.send("POST", "/admin/clients/" + clientId + "/revoke", Map.of(), null),
                http.get("/admin/templates", null));
        for (Response r : bare) {
            assertBareBearerChallenge(r);
        }
        // A token that was sent and is bad: invalid_token, in the challenge and in the body.
        for (Response r : List.of(http.postJson("/register", "not-a-real-token", CC_CLIENT), http.get(uri, "not-a-real-token"),
                http.get("/userinfo", "not-a-real-token"), http.get("/admin/templates", "not-a-real-token"))) {
            r.assertError(401, "invalid_token");
            assertTrue(r.header("WWW-Authenticate").startsWith("Bearer realm=\"registrar\", error=\"invalid_token\", error_description=\""),
                    r.header("WWW-Authenticate"));
        }
        // The client was not disturbed by any of it.
        assertEquals(200, http.get(uri, (String) reg.get("registration_access_token")).status());
    }

    static void assertBareBearerChallenge(Response r) {
        assertEquals(401, r.status(), r.body());
        assertEquals("Bearer realm=\"registrar\"", r.header("WWW-Authenticate"));
        assertEquals("no-store", r.header("Cache-Control"));
        assertEquals("", r.body(), "RFC 6750 §3.1: no error information without credentials");
    }

    @Test
    void tokenWithoutDcrScopeIsRejectedWithInsufficientScope() {
        String apiToken = http.postForm("/token", Map.of("grant_type", "client_credentials",
                "client_id", RESOURCE_CLIENT, "client_secret", RESOURCE_SECRET)).string("access_token");
        Response r = http.postJson("/register", apiToken, CC_CLIENT).assertError(403, "insufficient_scope");
        assertTrue(r.header("WWW-Authenticate").contains("insufficient_scope"));
    }

    @Test
    void dcrTokenAllowsOneRegistrationByDefault() {
        String token = http.dcrToken();
        assertEquals(201, http.postJson("/register", token, CC_CLIENT).status());
        http.postJson("/register", token, CC_CLIENT).assertError(401, "invalid_token");
    }

    @Test
    void onlyJsonObjectsAreRegistrations() {
        http.send("POST", "/register", Map.of("Content-Type", "text/plain", "Authorization", "Bearer " + http.dcrToken()),
                CC_CLIENT).assertError(400, "invalid_request");
        http.postJson("/register", http.dcrToken(), "[1,2]").assertError(400, "invalid_client_metadata");
        http.postJson("/register", http.dcrToken(), "{\"client_name\":").assertError(400, "invalid_client_metadata");
        http.postJson("/register", http.dcrToken(), "").assertError(400, "invalid_client_metadata");
    }

    @Test
    void badMetadataIsRejectedWithTheRfcCodeNamingTheField() {
        Response r = http.postJson("/register", http.dcrToken(), "{\"redirect_uris\":[\"https://a.example/cb#frag\"]}")
                .assertError(400, "invalid_redirect_uri");
        assertTrue(r.string("error_description").contains("fragment"), r.body());
        r = http.postJson("/register", http.dcrToken(), "{\"redirect_uris\":[\"http://a.example/cb\"]}")
                .assertError(400, "invalid_redirect_uri");
        assertTrue(r.string("error_description").contains("redirect_uris"), r.body());
        r = http.postJson("/register", http.dcrToken(), "{\"grant_types\":[\"client_credentials\"],\"jwks_uri\":\"https://a.example/jwks\",\"jwks\":{\"keys\":[]}}")
                .assertError(400, "invalid_client_metadata");
        assertTrue(r.string("error_description").contains("jwks"), r.body());
        http.postJson("/register", http.dcrToken(), "{\"grant_types\":\"client_credentials\"}").assertError(400, "invalid_client_metadata");
        // RFC 8252 §7.2, §8.3: a claimed https redirect needs a real host; loopback redirects are http on an IP literal.
        for (String loopback : List.of("https://localhost/cb", "https://127.0.0.1:8443/cb", "https://[::1]/cb")) {
            r = http.postJson("/register", http.dcrToken(), "{\"application_type\":\"native\",\"token_endpoint_auth_method\":\"none\","
                    + "\"redirect_uris\":[\"" + loopback + "\"]}").assertError(400, "invalid_redirect_uri");
            assertTrue(r.string("error_description").contains(loopback), r.body());
        }
        http.postJson("/register", http.dcrToken(), "{\"software_statement\":\"eyJhbGciOiJub25lIn0.e30.\"}")
                .assertError(400, "invalid_software_statement");
        // A rejected registration does not use up the token.
        String token = http.dcrToken();
        http.postJson("/register", token, "{\"grant_types\":[\"implicit\"]}").assertError(400, "invalid_client_metadata");
        assertEquals(201, http.postJson("/register", token, CC_CLIENT).status());
    }

    @Test
    void oversizedBodiesAndUnknownEndpointsGetJsonErrors() {
        String big = "{\"client_name\":\"" + "x".repeat(70_000) + "\"}";
        http.postJson("/register", http.dcrToken(), big).assertError(413, "invalid_request");
        // Without a Content-Length (chunked) the same limit holds, and a body under it is read whole.
        Map<String, String> json = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + http.dcrToken());
        http.sendChunked("POST", "/register", json, big).assertError(413, "invalid_request");
        Response chunked = http.sendChunked("POST", "/register", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + http.dcrToken()), CC_CLIENT.replace("Inventory sync", "chunked ✓"));
        assertEquals(201, chunked.status(), chunked.body());
        assertEquals("chunked ✓", chunked.string("client_name"));
        http.get("/no/such/endpoint", null).assertError(404, "invalid_request");
    }

    @Test
    void everyMethodNotAllowedSaysWhichMethodsExist() {
        // RFC 9110 §15.5.6: a 405 MUST carry Allow with the target's methods (HEAD wherever GET is, §9.3.2).
        Map<String, Set<String>> allowed = Map.of(
                "/register", Set.of("POST"),
                "/register/some-client", Set.of("GET", "HEAD", "PUT", "DELETE"),
                "/token", Set.of("POST"),
                "/authorize", Set.of("GET", "HEAD", "POST"),
                "/jwks", Set.of("GET", "HEAD"),
                "/admin/templates/t", Set.of("GET", "HEAD", "PUT"));
        allowed.forEach((path, methods) -> {
            for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")) {
                if (methods.contains(method)) {
                    continue;
                }
                Response r = http.send(method, path, Map.of(), null);
                assertEquals(405, r.status(), method + " " + path);
                if (!method.equals("HEAD")) {
                    r.assertError(405, "invalid_request");
                }
                assertNotNull(r.header("Allow"), method + " " + path);
                Set<String> listed = Arrays.stream(r.header("Allow").split(","))
                        .map(String::trim).collect(Collectors.toSet());
                assertEquals(methods, listed, method + " " + path);
            }
        });
    }

    // ---------------------------------------------------------------- token endpoint (RFC 6749)

    @Test
    void tokenEndpointErrorsFollowRfc6749() {
        Response r = http.postFormBasic("/token", TestServer.INITIAL_CLIENT, "wrong-secret",
                Map.of("grant_type", "client_credentials")).assertError(401, "invalid_client");
        assertTrue(r.header("WWW-Authenticate").startsWith("Basic"), "Basic challenge when Basic was used");
        http.postForm("/token", Map.of("grant_type", "client_credentials", "client_id", TestServer.INITIAL_CLIENT,
                "client_secret", TestServer.INITIAL_SECRET)).assertError(401, "invalid_client"); // registered for Basic
        http.postFormBasic("/token", TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET, Map.of("grant_type", "password"))
                .assertError(400, "unsupported_grant_type");
        http.postFormBasic("/token", TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET,
                Map.of("grant_type", "client_credentials", "scope", "dcrm")).assertError(400, "invalid_scope");
        http.postFormBasic("/token", TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET, Map.of())
                .assertError(400, "invalid_request");
        http.send("POST", "/token", Map.of("Content-Type", "application/x-www-form-urlencoded",
                        "Authorization", TestHttp.basic(TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET)),
                "grant_type=client_credentials&client_secret=x").assertError(400, "invalid_request");
        // RFC 6749 §3.1: parameters must not repeat; a body that is not form-url-encoded is a bad request, not a 500.
        Map<String, String> basicForm = Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Authorization", TestHttp.basic(TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET));
        http.send("POST", "/token", basicForm, "grant_type=client_credentials&grant_type=client_credentials")
                .assertError(400, "invalid_request");
        http.send("POST", "/token", basicForm, "grant_type=client_credentials&scope=%zz").assertError(400, "invalid_request");
        assertEquals(200, http.send("POST", "/token", basicForm, "grant_type=client%5Fcredentials&&scope=dcr").status());

        Map<String, Object> info = http.register(CC_CLIENT).json();
        http.postForm("/token", Map.of("grant_type", "client_credentials", "client_id", (String) info.get("client_id"),
                "client_secret", (String) info.get("client_secret"))).assertError(401, "invalid_client");
        // A dynamic client can never obtain dcr or dcrm.
        http.postFormBasic("/token", (String) info.get("client_id"), (String) info.get("client_secret"),
                Map.of("grant_type", "client_credentials", "scope", "dcr")).assertError(400, "invalid_scope");
    }

    @Test
    void clientRegisteredForTheCodeFlowIsRefusedClientCredentials() {
        Map<String, Object> info = http.register("{\"redirect_uris\":[\"https://app.example.com/cb\"]}").json();
        http.clientCredentialsToken((String) info.get("client_id"), (String) info.get("client_secret"))
                .assertError(400, "unauthorized_client");
    }

    // ---------------------------------------------------------------- management (RFC 7592)

    @Test
    void readRotatesTheRegistrationTokenAndTheSecret() {
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String oldToken = (String) reg.get("registration_access_token");
        String oldSecret = (String) reg.get("client_secret");
        String clientId = (String) reg.get("client_id");

        Response read = http.get(uri, oldToken);
        assertEquals(200, read.status(), read.body());
        assertEquals("no-store", read.header("Cache-Control"));
        String newToken = read.string("registration_access_token");
        String newSecret = read.string("client_secret");
        assertNotEquals(oldToken, newToken);
        assertNotEquals(oldSecret, newSecret);
        assertEquals(reg.get("client_name"), read.json().get("client_name"));
        assertEquals(reg.get("client_id_issued_at"), read.json().get("client_id_issued_at"));

        http.get(uri, oldToken).assertError(401, "invalid_token");
        http.clientCredentialsToken(clientId, oldSecret).assertError(401, "invalid_client");
        assertEquals(200, http.clientCredentialsToken(clientId, newSecret).status());
        assertEquals(200, http.get(uri, newToken).status());
    }

    @Test
    void concurrentRequestsWithOneTokenLetExactlyOneSucceed() throws Exception {
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String token = (String) reg.get("registration_access_token");
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> http.get(uri, token).status());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        }
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
    }

    @Test
    void updateReplacesTheMetadataAsAWhole() {
        Map<String, Object> reg = http.register("""
                {"client_name":"Before","grant_types":["client_credentials"],"scope":"api","client_uri":"https://a.example"}""").json();
        String uri = (String) reg.get("registration_client_uri");
        String clientId = (String) reg.get("client_id");
        String token = (String) reg.get("registration_access_token");

        Response put = http.putJson(uri, token, """
                {"client_id":"%s","grant_types":["client_credentials"],"scope":"api openid","client_secret":"%s"}"""
                .formatted(clientId, reg.get("client_secret")));
        assertEquals(200, put.status(), put.body());
        Map<String, Object> info = put.json();
        assertNull(info.get("client_name"), "omitted fields are removed (RFC 7592 §2.2)");
        assertNull(info.get("client_uri"));
        assertEquals("api openid", info.get("scope"));
        assertEquals("client_secret_basic", info.get("token_endpoint_auth_method"), "omitted fields with defaults get them");
        assertNotEquals(token, info.get("registration_access_token"));

        String current = (String) info.get("registration_access_token");
        assertEquals("api openid", http.get(uri, current).json().get("scope"));
    }

    @Test
    void aFailedUpdateRotatesNothing() {
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String clientId = (String) reg.get("client_id");
        String token = (String) reg.get("registration_access_token");

        http.putJson(uri, token, "{\"grant_types\":[\"client_credentials\"]}").assertError(400, "invalid_request"); // no client_id
        http.putJson(uri, token, "{\"client_id\":\"someone-else\"}").assertError(400, "invalid_request");
        for (String managed : List.of("registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at")) {
            http.putJson(uri, token, "{\"client_id\":\"" + clientId + "\",\"" + managed + "\":\"x\"}").assertError(400, "invalid_request");
        }
        http.putJson(uri, token, "{\"client_id\":\"" + clientId + "\",\"client_secret\":\"guess\"}").assertError(400, "invalid_request");
        http.putJson(uri, token, "{\"client_id\":\"" + clientId + "\",\"redirect_uris\":[\"ftp://x\"]}").assertError(400, "invalid_redirect_uri");

        assertEquals(200, http.clientCredentialsToken(clientId, (String) reg.get("client_secret")).status());
        assertEquals(200, http.get(uri, token).status(), "the token still works after failed updates");
    }

    @Test
    void deleteAnswers204AndEverythingIssuedStopsWorking() {
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String clientId = (String) reg.get("client_id");
        String secret = (String) reg.get("client_secret");
        String token = (String) reg.get("registration_access_token");
        String accessToken = http.clientCredentialsToken(clientId, secret).string("access_token");
        assertEquals(true, http.introspect(accessToken).json().get("active"));

        Response del = http.delete(uri, token);
        assertEquals(204, del.status(), del.body());
        assertEquals(false, http.introspect(accessToken).json().get("active"));
        http.clientCredentialsToken(clientId, secret).assertError(401, "invalid_client");
        http.get(uri, token).assertError(401, "invalid_token");
        http.delete(uri, token).assertError(401, "invalid_token");
    }

    @Test
    void revocationFollowsRfc7009() {
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String clientId = (String) reg.get("client_id");
        String secret = (String) reg.get("client_secret");
        String token = http.clientCredentialsToken(clientId, secret).string("access_token");

        // RFC 7009 §2.1: only the client the token was issued to may revoke it.
        String othersToken = http.dcrToken();
        http.postFormBasic("/revoke", clientId, secret, Map.of("token", othersToken)).assertError(400, "unauthorized_client");
        assertEquals(true, http.introspect(othersToken).json().get("active"));
        http.postForm("/revoke", Map.of("token", token)).assertError(401, "invalid_client");
        http.postFormBasic("/revoke", clientId, secret, Map.of()).assertError(400, "invalid_request");

        Response revoked = http.postFormBasic("/revoke", clientId, secret, Map.of("token", token, "token_type_hint", "refresh_token"));
        assertEquals(200, revoked.status(), revoked.body());
        assertEquals("no-store", revoked.header("Cache-Control"));
        assertEquals(false, http.introspect(token).json().get("active"), "a wrong hint does not stop the search (§2.1)");
        // §2.2: revoking a revoked or unknown token is a success, not an error.
        assertEquals(200, http.postFormBasic("/revoke", clientId, secret, Map.of("token", token)).status());
        assertEquals(200, http.postFormBasic("/revoke", clientId, secret, Map.of("token", "never-issued")).status());
    }

    @Test
    void unknownClientAndWrongTokenGetIdenticalAnswers() {
        Map<String, Object> a = http.register(CC_CLIENT).json();
        Map<String, Object> b = http.register(CC_CLIENT).json();
        Response unknown = http.get("/register/no-such-client", (String) a.get("registration_access_token"));
        Response foreign = http.get((String) b.get("registration_client_uri"), "never-issued-registration-token");
        unknown.assertError(401, "invalid_token");
        foreign.assertError(401, "invalid_token");
        assertEquals(unknown.body(), foreign.body());
        assertEquals(unknown.header("WWW-Authenticate"), foreign.header("WWW-Authenticate"));
        // The made-up token disturbed nobody.
        assertEquals(200, http.get((String) b.get("registration_client_uri"), (String) b.get("registration_access_token")).status());
    }

    @Test
    void aRegistrationTokenPresentedForAClientThatDoesNotExistIsRevoked() {
        // RFC 7592 §2.1: 401, and the token SHOULD be revoked at once, so a leaked token cannot probe further.
        for (TestServer s : List.of(server, reuseServer)) {
            TestHttp h = s.http;
            Map<String, Object> a = h.register(CC_CLIENT).json();
            String aUri = (String) a.get("registration_client_uri");
            String aToken = (String) a.get("registration_access_token");
            Response unknown = h.get("/register/no-such-client", aToken).assertError(401, "invalid_token");
            h.get(aUri, aToken).assertError(401, "invalid_token");
            h.delete(aUri, aToken).assertError(401, "invalid_token");

            // Presented at another client's URI: that client does not exist for this token either.
            Map<String, Object> b = h.register(CC_CLIENT).json();
            Map<String, Object> c = h.register(CC_CLIENT).json();
            String bUri = (String) b.get("registration_client_uri");
            String bToken = (String) b.get("registration_access_token");
            String cUri = (String) c.get("registration_client_uri");
            Response foreign = h.putJson(cUri, bToken, "{\"client_id\":\"" + c.get("client_id") + "\"}");
            foreign.assertError(401, "invalid_token");
            assertEquals(unknown.body(), foreign.body(), "nothing tells an unknown client from another's");
            assertEquals(unknown.header("WWW-Authenticate"), foreign.header("WWW-Authenticate"));
            h.get(bUri, bToken).assertError(401, "invalid_token");
            // The client whose URI was used is not touched; the revoked client keeps working, and an
            // operator can still manage it.
            assertEquals(200, h.get(cUri, (String) c.get("registration_access_token")).status());
            assertEquals(200, h.clientCredentialsToken((String) b.get("client_id"), (String) b.get("client_secret")).status());
            assertEquals(200, h.get(bUri, h.adminToken()).status());
        }
    }

    @Test
    void adminTokenManagesAnyDynamicClientWithoutRotation() {
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String clientId = (String) reg.get("client_id");
        String admin = http.adminToken();

        Response read = http.get(uri, admin);
        assertEquals(200, read.status(), read.body());
        assertNull(read.json().get("registration_access_token"));
        assertNull(read.json().get("client_secret"));
        Response put = http.putJson(uri, admin, "{\"client_id\":\"" + clientId + "\",\"grant_types\":[\"client_credentials\"],\"client_name\":\"Renamed\"}");
        assertEquals(200, put.status(), put.body());
        assertEquals("Renamed", put.json().get("client_name"));
        // Nothing rotated: the client's own token and secret still work.
        assertEquals(200, http.clientCredentialsToken(clientId, (String) reg.get("client_secret")).status());
        assertEquals(200, http.get(uri, (String) reg.get("registration_access_token")).status());

        http.get("/register/" + TestServer.INITIAL_CLIENT, admin).assertError(401, "invalid_token"); // static: not manageable
        assertEquals(204, http.delete(uri, admin).status());
        http.get(uri, admin).assertError(401, "invalid_token");
        // A dcr token is no admin token.
        Map<String, Object> other = http.register(CC_CLIENT).json();
        http.get((String) other.get("registration_client_uri"), http.dcrToken()).assertError(401, "invalid_token");
    }

    @Test
    void withTheReuseSwitchNothingRotates() {
        TestHttp reuse = reuseServer.http;
        Map<String, Object> reg = reuse.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String token = (String) reg.get("registration_access_token");
        Response first = reuse.get(uri, token);
        Response second = reuse.get(uri, token);
        assertEquals(200, first.status(), first.body());
        assertEquals(200, second.status(), second.body());
        assertEquals(token, second.string("registration_access_token"));
        assertNull(second.json().get("client_secret"), "the secret is not re-sent: only its hash is stored");
        assertEquals(200, reuse.clientCredentialsToken((String) reg.get("client_id"), (String) reg.get("client_secret")).status());
    }

    @Test
    void everyResponseWithARegistrationTokenSaysWhenItExpires() {
        long lifetime = java.time.Duration.ofDays(28).toSeconds(); // management.tokenLifetime
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        assertExpiresIn(lifetime, reg);
        String uri = (String) reg.get("registration_client_uri");
        Map<String, Object> read = http.get(uri, (String) reg.get("registration_access_token")).json();
        assertExpiresIn(lifetime, read);
        // An update that echoes it back with the rest of the last response (as SDKs do) is accepted.
        Response putResponse = http.putJson(uri, (String) read.get("registration_access_token"),
                "{\"client_id\":\"" + reg.get("client_id") + "\",\"grant_types\":[\"client_credentials\"],"
                        + "\"registration_access_token_expires_in\":" + read.get("registration_access_token_expires_in") + "}");
        assertEquals(200, putResponse.status(), putResponse.body());
        Map<String, Object> put = putResponse.json();
        assertExpiresIn(lifetime, put);
        // An operator's answer carries no registration access token, so no lifetime either.
        assertFalse(http.get(uri, http.adminToken()).json().containsKey("registration_access_token_expires_in"));

        // Without rotation the token handed back is the one presented: what remains of its lifetime.
        Map<String, Object> kept = reuseServer.http.register(CC_CLIENT).json();
        assertExpiresIn(lifetime, reuseServer.http.get((String) kept.get("registration_client_uri"),
                (String) kept.get("registration_access_token")).json());
    }

    private static void assertExpiresIn(long lifetime, Map<String, Object> info) {
        assertNotNull(info.get("registration_access_token"));
        long expiresIn = ((Number) info.get("registration_access_token_expires_in")).longValue();
        assertTrue(expiresIn <= lifetime && expiresIn > lifetime - 60, info.toString());
    }

    // ---------------------------------------------------------------- OpenID Connect dynamic clients

    @Test
    void anOidcClientRegisteredWithoutScopeSignsAUserIn() throws Exception {
        // OpenID Connect DCR 1.0 has no scope member: an OIDC library registers without one.
        OIDCClientMetadata metadata = new OIDCClientMetadata();
        metadata.setName("OIDC relying party");
        metadata.setRedirectionURI(URI.create("https://rp.example.com/cb"));
        metadata.applyDefaults();
        assertNull(metadata.getScope());
        var sent = new OIDCClientRegistrationRequest(URI.create(server.issuer() + "/register"),
                metadata, new BearerAccessToken(http.dcrToken())).toHTTPRequest().send();
        var response = OIDCClientRegistrationResponseParser.parse(sent);
        assertTrue(response.indicatesSuccess(), sent.getBody());
        var info = ((OIDCClientInformationResponse) response).getOIDCClientInformation();
        // registration.defaultScope, shown in the response (RFC 7591 §2: the server MAY assign defaults).
        assertEquals(Set.of("openid", "profile", "email"), info.getMetadata().getScope().toStringList().stream()
                .collect(Collectors.toSet()));

        MobileApp rp = new MobileApp(info.getID().getValue(), "https://rp.example.com/cb");
        CookieBrowser browser = new CookieBrowser(http);
        Response page = browser.get(rp.authorizePath("openid"));
        CookieBrowser.assertLoginPage(page);
        Map<String, String> back = CookieBrowser.redirectParams(browser.signIn(page, "dana", DANA_PASSWORD));
        assertEquals(rp.state, back.get("state"));
        Response tokens = http.postFormBasic("/token", rp.clientId, info.getSecret().getValue(), rp.codeForm(back.get("code"), false));
        assertEquals(200, tokens.status(), tokens.body());
        assertEquals("openid", tokens.string("scope"));
        var idToken = SignedJWT.parse(tokens.string("id_token"));
        var jwks = JWKSet.parse(http.get("/jwks", null).body());
        assertTrue(idToken.verify(new RSASSAVerifier(
                jwks.getKeyByKeyId(idToken.getHeader().getKeyID()).toRSAKey())));
        assertEquals(server.issuer(), idToken.getJWTClaimsSet().getIssuer());
        assertEquals(List.of(rp.clientId), idToken.getJWTClaimsSet().getAudience());
        assertEquals(rp.nonce, idToken.getJWTClaimsSet().getStringClaim("nonce"));
        assertEquals(200, http.get("/userinfo", tokens.string("access_token")).status());
        // profile and email are registered too; a scope outside the registration is still refused.
        assertEquals(303, browser.get(rp.authorizePath("openid profile email")).status());
        assertEquals("invalid_scope", CookieBrowser.redirectParams(browser.get(rp.authorizePath("openid api")))
                .get("error"));

        // An update without scope gets the default again (RFC 7592 §2.2); a client without the code
        // flow gets none of the sign-in scopes.
        Map<String, Object> updated = http.putJson(info.getRegistrationURI().toString(), info.getRegistrationAccessToken().getValue(),
                "{\"client_id\":\"" + rp.clientId + "\",\"redirect_uris\":[\"https://rp.example.com/cb\"]}").json();
        assertEquals("openid profile email", updated.get("scope"));
        assertNull(http.register("{\"grant_types\":[\"client_credentials\"]}").json().get("scope"));
    }

    // ---------------------------------------------------------------- discovery, keys, health

    @Test
    void discoveryAdvertisesExactlyWhatIsServed() {
        Response oidc = http.get("/.well-known/openid-configuration", null);
        Response rfc8414 = http.get("/.well-known/oauth-authorization-server", null);
        assertEquals(200, oidc.status());
        assertEquals(oidc.body(), rfc8414.body());
        Map<String, Object> m = oidc.json();
        assertEquals(server.issuer(), m.get("issuer"));
        assertEquals(server.issuer() + "/register", m.get("registration_endpoint"));
        assertEquals(server.issuer() + "/token", m.get("token_endpoint"));
        assertEquals(List.of("authorization_code", "refresh_token", "client_credentials"), m.get("grant_types_supported"));
        assertEquals(server.issuer() + "/authorize", m.get("authorization_endpoint"));
        assertEquals(server.issuer() + "/userinfo", m.get("userinfo_endpoint"));
        assertEquals(server.issuer() + "/logout", m.get("end_session_endpoint"));
        assertEquals(List.of("S256"), m.get("code_challenge_methods_supported"));
        assertEquals(true, m.get("authorization_response_iss_parameter_supported"));
        // mTLS is off in the base configuration, so the certificate methods are not offered.
        List<String> methods = List.of("client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt");
        assertEquals(methods, m.get("token_endpoint_auth_methods_supported"));
        assertEquals(methods, m.get("introspection_endpoint_auth_methods_supported"));
        assertEquals(methods, m.get("revocation_endpoint_auth_methods_supported"));
        assertEquals(List.of("RS256", "PS256", "ES256", "EdDSA", "HS256", "HS384", "HS512"),
                m.get("token_endpoint_auth_signing_alg_values_supported"));
        assertEquals(server.issuer() + "/revoke", m.get("revocation_endpoint"));
        assertEquals(false, m.get("tls_client_certificate_bound_access_tokens"));
        assertFalse(m.containsKey("mtls_endpoint_aliases"));
        assertTrue(TestHttp.list(m.get("scopes_supported")).containsAll(List.of("dcr", "dcrm", "api")));

        Map<String, Object> jwks = http.get((String) m.get("jwks_uri"), null).json();
        List<?> keys = (List<?>) jwks.get("keys");
        assertEquals(2, keys.size());
        for (Object k : keys) {
            @SuppressWarnings("unchecked")
            Map<String, Object> key = (Map<String, Object>) k;
            assertNotNull(key.get("kid"));
            assertFalse(key.containsKey("d"), "no private key material is published");
        }
    }

    @Test
    void healthEndpointsAnswer() {
        assertEquals(200, http.get("/health/live", null).status());
        assertEquals(200, http.get("/health/ready", null).status());
        String first = http.get("/health/live", null).header("X-Request-Id");
        String second = http.get("/health/live", null).header("X-Request-Id");
        // A generated request id is a random (version 4, RFC 9562 variant) UUID, new for every request.
        java.util.UUID id = java.util.UUID.fromString(first);
        assertEquals(4, id.version(), first);
        assertEquals(2, id.variant(), first);
        assertNotEquals(first, second);
    }
}
