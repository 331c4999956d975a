package io.registrar.it;

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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.registrar.support.CookieBrowser.redirectParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Issue 21 §2, black-box: with a rotation leeway, a registration access token or refresh token whose
 * rotation's response was lost gets the same answer again until the new one is used or the leeway
 * ends; concurrent retries all get the one new credential; without a leeway the old one is dead at
 * once. Runs once per store (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RotationLeewayTests {

    static final String CC_CLIENT = """
            {"client_name":"Phone","grant_types":["client_credentials"],"scope":"api"}""";
    static final String REDIRECT = "https://app.example.com/cb";
    static final String CODE_CLIENT = """
            {"client_name":"Phone app","redirect_uris":["%s"],"grant_types":["authorization_code","refresh_token"],\
            "scope":"openid"}""".formatted(REDIRECT);
    static final String USERS = "users:\n  - {username: erin, password: erin-password-1}\n";
    /** Short enough to wait out in a test. */
    static final long SHORT_LEEWAY_MILLIS = 1000;

    /** A leeway far longer than any test takes, so that "within the leeway" holds however slow the machine. */
    TestServer server;
    /** A one-second leeway, to see it end. */
    TestServer shortLeeway;
    /** No leeway: the default. */
    TestServer none;

    abstract TestDatabase database();

    @BeforeAll
    void startServers() {
        server = TestServer.start(database(), USERS, "management:\n  rotationLeeway: 5m\ntokens:\n  refreshTokenRotationLeeway: 5m\n");
        shortLeeway = TestServer.start(database(), USERS, "management:\n  rotationLeeway: " + SHORT_LEEWAY_MILLIS + "ms\n"
                + "tokens:\n  refreshTokenRotationLeeway: " + SHORT_LEEWAY_MILLIS + "ms\n");
        none = TestServer.start(database(), USERS);
    }

    @AfterAll
    void stopServers() {
        server.close();
        shortLeeway.close();
        none.close();
    }

    // ---------------------------------------------------------------- RFC 7592

    @Test
    void thePreviousTokenGetsTheSameAnswerUntilTheNewOneIsUsed() {
        TestHttp http = server.http;
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String clientId = (String) reg.get("client_id");
        String t0 = (String) reg.get("registration_access_token");

        Response first = http.get(uri, t0);
        assertEquals(200, first.status(), first.body());
        String t1 = first.string("registration_access_token");
        String s1 = first.string("client_secret");
        assertNotEquals(t0, t1);
        // The response was lost; the client asks again with what it holds.
        Response again = http.get(uri, t0);
        assertEquals(200, again.status(), again.body());
        assertEquals(t1, again.string("registration_access_token"));
        assertEquals(s1, again.string("client_secret"));
        assertEquals(first.json().get("client_name"), again.json().get("client_name"));
        assertEquals("no-store", again.header("Cache-Control"));
        http.clientCredentialsToken(clientId, (String) reg.get("client_secret")).assertError(401, "invalid_client");
        assertEquals(200, http.clientCredentialsToken(clientId, s1).status());

        // The new token's first use rotates again; from then on the token before it is dead.
        Response second = http.get(uri, t1);
        assertEquals(200, second.status(), second.body());
        String t2 = second.string("registration_access_token");
        http.get(uri, t0).assertError(401, "invalid_token");
        // t1 is now the previous token, within the leeway: it gets t2 again, and only that.
        assertEquals(t2, http.get(uri, t1).string("registration_access_token"));
        Response third = http.get(uri, t2);
        assertEquals(200, third.status(), third.body());
        String t3 = third.string("registration_access_token");
        http.get(uri, t1).assertError(401, "invalid_token");

        // The previous token only gets its rotation's answer again: it cannot delete the client.
        http.delete(uri, t2).assertError(401, "invalid_token");
        assertEquals(t3, http.get(uri, t2).string("registration_access_token"), "nothing was deleted");
        assertEquals(204, http.delete(uri, t3).status());
    }

    @Test
    void concurrentRequestsWithOneTokenAllGetTheOneNewToken() throws Exception {
        TestHttp http = server.http;
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String t0 = (String) reg.get("registration_access_token");

        List<Response> answers = concurrently(8, () -> http.get(uri, t0));
        for (Response r : answers) {
            assertEquals(200, r.status(), r.body());
        }
        assertEquals(1, answers.stream().map(r -> r.string("registration_access_token")).distinct().count(), "one new token");
        assertEquals(1, answers.stream().map(r -> r.string("client_secret")).distinct().count(), "one new secret");
        String t1 = answers.getFirst().string("registration_access_token");
        assertEquals(200, http.clientCredentialsToken((String) reg.get("client_id"), answers.getFirst().string("client_secret")).status());
        assertEquals(200, http.get(uri, t1).status());
        http.get(uri, t0).assertError(401, "invalid_token");
    }

    @Test
    void anUpdateMadeAgainGetsTheSameAnswerAndNoOtherChange() {
        TestHttp http = server.http;
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String clientId = (String) reg.get("client_id");
        String t0 = (String) reg.get("registration_access_token");
        String update = """
                {"client_id":"%s","client_name":"Renamed","grant_types":["client_credentials"],"scope":"api","client_secret":"%s"}"""
                .formatted(clientId, reg.get("client_secret"));

        Response put = http.putJson(uri, t0, update);
        assertEquals(200, put.status(), put.body());
        Response again = http.putJson(uri, t0, update);
        assertEquals(200, again.status(), again.body());
        assertEquals(put.string("registration_access_token"), again.string("registration_access_token"));
        assertEquals(put.string("client_secret"), again.string("client_secret"));
        assertEquals("Renamed", again.string("client_name"));
        // The previous token makes no change of its own.
        http.putJson(uri, t0, update.replace("Renamed", "Other")).assertError(401, "invalid_token");
        assertEquals("Renamed", http.get(uri, put.string("registration_access_token")).string("client_name"));
    }

    @Test
    void afterTheLeewayThePreviousTokenIsDead() throws InterruptedException {
        TestHttp http = shortLeeway.http;
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String t0 = (String) reg.get("registration_access_token");
        Response first = http.get(uri, t0);
        assertEquals(200, first.status(), first.body());

        Thread.sleep(SHORT_LEEWAY_MILLIS + 200);
        http.get(uri, t0).assertError(401, "invalid_token");
        assertEquals(200, http.get(uri, first.string("registration_access_token")).status());
    }

    @Test
    void withoutALeewayThePreviousTokenIsDeadAtOnce() {
        TestHttp http = none.http;
        Map<String, Object> reg = http.register(CC_CLIENT).json();
        String uri = (String) reg.get("registration_client_uri");
        String t0 = (String) reg.get("registration_access_token");
        Response first = http.get(uri, t0);
        assertEquals(200, first.status(), first.body());
        http.get(uri, t0).assertError(401, "invalid_token");
        assertEquals(200, http.get(uri, first.string("registration_access_token")).status());
    }

    // ---------------------------------------------------------------- refresh tokens (RFC 6749 §6)

    @Test
    void thePreviousRefreshTokenGetsTheSameAnswerUntilTheNewOneIsUsed() {
        Grant g = grant(server);
        Response first = g.refresh(g.refreshToken);
        assertEquals(200, first.status(), first.body());
        Response again = g.refresh(g.refreshToken);
        assertEquals(200, again.status(), again.body());
        assertEquals(first.string("refresh_token"), again.string("refresh_token"));
        assertEquals(first.string("access_token"), again.string("access_token"), "the same access token, not another one");
        assertEquals("openid", again.string("scope"));
        assertNotNull(again.string("id_token"));
        assertEquals(true, server.http.introspect(again.string("access_token")).json().get("active"));

        // The new refresh token is used: the one before it is a replay again, and revokes the grant.
        Response second = g.refresh(first.string("refresh_token"));
        assertEquals(200, second.status(), second.body());
        g.refresh(g.refreshToken).assertError(400, "invalid_grant");
        assertEquals(false, server.http.introspect(second.string("access_token")).json().get("active"));
        g.refresh(second.string("refresh_token")).assertError(400, "invalid_grant");
    }

    @Test
    void concurrentRefreshesWithOneTokenAllGetTheOneNewToken() throws Exception {
        Grant g = grant(server);
        List<Response> answers = concurrently(6, () -> g.refresh(g.refreshToken));
        for (Response r : answers) {
            assertEquals(200, r.status(), r.body());
        }
        assertEquals(1, answers.stream().map(r -> r.string("refresh_token")).distinct().count(), "one new refresh token");
        assertEquals(1, answers.stream().map(r -> r.string("access_token")).distinct().count(), "one new access token");
        assertEquals(200, g.refresh(answers.getFirst().string("refresh_token")).status());
    }

    @Test
    void afterTheLeewayThePreviousRefreshTokenRevokesTheGrant() throws InterruptedException {
        Grant g = grant(shortLeeway);
        Response first = g.refresh(g.refreshToken);
        assertEquals(200, first.status(), first.body());

        Thread.sleep(SHORT_LEEWAY_MILLIS + 200);
        g.refresh(g.refreshToken).assertError(400, "invalid_grant");
        g.refresh(first.string("refresh_token")).assertError(400, "invalid_grant");
    }

    @Test
    void withoutALeewayThePreviousRefreshTokenRevokesTheGrantAtOnce() {
        Grant g = grant(none);
        Response first = g.refresh(g.refreshToken);
        assertEquals(200, first.status(), first.body());
        g.refresh(g.refreshToken).assertError(400, "invalid_grant");
        g.refresh(first.string("refresh_token")).assertError(400, "invalid_grant");
    }

    /** A registered client with a user's grant: its first refresh token. */
    private record Grant(TestHttp http, String clientId, String secret, String refreshToken) {
        Response refresh(String token) {
            return http.postFormBasic("/token", clientId, secret, Map.of("grant_type", "refresh_token", "refresh_token", token));
        }
    }

    private static Grant grant(TestServer on) {
        TestHttp http = on.http;
        Map<String, Object> reg = http.register(CODE_CLIENT).json();
        String clientId = (String) reg.get("client_id");
        String secret = (String) reg.get("client_secret");
        MobileApp app = new MobileApp(clientId, REDIRECT);
        CookieBrowser browser = new CookieBrowser(http);
        Map<String, String> back = redirectParams(browser.signIn(browser.get(app.authorizePath("openid")), "erin", "erin-password-1"));
        Response tokens = http.postFormBasic("/token", clientId, secret, app.codeForm(back.get("code"), false));
        assertEquals(200, tokens.status(), tokens.body());
        return new Grant(http, clientId, secret, tokens.string("refresh_token"));
    }

    private static List<Response> concurrently(int n, Callable<Response> call) throws Exception {
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(call);
        }
        List<Response> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Response> f : pool.invokeAll(calls)) {
                out.add(f.get());
            }
        }
        return out;
    }
}
