package io.registrar.it;

import com.nimbusds.jose.JWSAlgorithm;
import io.registrar.support.Assertions;
import io.registrar.support.CookieBrowser;
import io.registrar.support.MobileApp;
import io.registrar.support.SteppingClock;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.registrar.support.CookieBrowser.redirectParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21 §5: guessing a password or a client secret is held back by growing delays per account
 * (or client) and address, and by a ceiling per account, without locking out the real user, who
 * signs in from an address that has not failed. Source addresses come through X-Forwarded-For from a
 * trusted proxy; time moves by a stepping clock, so no test waits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PasswordGuessingTests {

    static final String LOOPBACK = "http://127.0.0.1:51234/callback";
    static final int CEILING = 10;
    static final String THROTTLING = "{freeFailures: 3, firstDelay: 1m, maxDelay: 10m, freeFailuresPerAddress: 20, "
            + "maxFailuresPerWindow: " + CEILING + ", window: 1h}";
    static final String LAYER = """
            server:
              trustedProxies: [127.0.0.1]
            login:
              throttling: %s
            clientAuth:
              secretThrottling: %s
            """.formatted(THROTTLING, THROTTLING);
    /** Another user (a layer that sets users replaces the list). */
    static final String USERS = """
            users:
              - {username: alice, password: alice-password-1}
              - {username: bob, password: bob-password-12}
              - {username: carol, password: carol-password-1}
              - {username: dave, password: dave-password-1}
            """;

    final SteppingClock clock = new SteppingClock();
    TestServer server;
    TestHttp http;
    final MobileApp app = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);

    abstract TestDatabase database();

    @BeforeAll
    void start() {
        server = TestServer.start(clock, database(), TestServer.MOBILE, LAYER, USERS);
        http = server.http;
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** One sign-in through the login page, from {@code address}. */
    Response signIn(String address, String user, String password) {
        CookieBrowser browser = CookieBrowser.at(http, address);
        Response r = browser.signIn(browser.get(app.authorizePath("dcr")), user, password);
        assertTrue(r.status() < 500, r.body());
        return r;
    }

    static void assertSignedIn(Response r) {
        assertNotNull(redirectParams(r).get("code"), "signed in and sent back with a code");
    }

    static void assertWrong(Response r) {
        assertEquals(401, r.status(), r.body());
        assertTrue(r.body().contains("The username or password is incorrect."), r.body());
    }

    static void assertThrottled(Response r, long retryAfter) {
        assertEquals(429, r.status(), r.body());
        assertTrue(r.body().contains("Too many failed sign-in attempts. Try again in"), r.body());
        assertRetryAfter(r, retryAfter);
    }

    /** Retry-After: the delay less the (real) time the test took since the failure, rounded up. */
    static void assertRetryAfter(Response r, long seconds) {
        long retryAfter = Long.parseLong(r.header("Retry-After"));
        assertTrue(retryAfter <= seconds && retryAfter > seconds - 10, "Retry-After " + retryAfter + ", expected about " + seconds);
    }

    @Test
    void aGuesserWaitsLongerAndLongerWhileTheRealUserSignsInFromElsewhereAtOnce() {
        String attacker = "203.0.113.7";
        for (int i = 0; i < 3; i++) {
            assertWrong(signIn(attacker, "alice", "guess-" + i));
        }
        assertThrottled(signIn(attacker, "alice", "guess-3"), 60);
        // Refused before the password is checked: even the right one does not get through, so no guess counts.
        assertThrottled(signIn(attacker, "alice", "alice-password-1"), 60);

        // The regression of issue 21 §5: the account is not locked; the real user elsewhere signs in at once.
        assertSignedIn(signIn("198.51.100.20", "alice", "alice-password-1"));

        clock.step(Duration.ofMinutes(1));
        assertWrong(signIn(attacker, "alice", "guess-4"));
        assertThrottled(signIn(attacker, "alice", "guess-5"), 120);
        clock.step(Duration.ofMinutes(2));
        assertWrong(signIn(attacker, "alice", "guess-5"));
        assertThrottled(signIn(attacker, "alice", "guess-6"), 240);

        // The same user at the guesser's address, once the delay has passed, and a success clears the pair.
        clock.step(Duration.ofMinutes(4));
        assertSignedIn(signIn(attacker, "alice", "alice-password-1"));
        assertWrong(signIn(attacker, "alice", "typo"));
    }

    @Test
    void theCeilingPerAccountHoldsAcrossAddressesAndACleanAddressStillSignsIn() {
        int checked = 0;
        int refused = 0;
        // Guessers at many addresses, each trying until refused, then returning after its delay.
        for (int a = 1; a <= 8; a++) {
            for (int tries = 0; tries < 6; tries++) {
                Response r = signIn("10.0.0." + a, "bob", "guess-" + a + "-" + tries);
                if (r.status() == 401) {
                    checked++;
                } else {
                    assertEquals(429, r.status(), r.body());
                    refused++;
                }
            }
        }
        // Until the ceiling: 3 free guesses each from the first addresses (3 + 3 + 3 + 1 = 10).
        // After it: only addresses that have never failed for bob get a guess, one each (10.0.0.5 to .8).
        assertEquals(CEILING + 4, checked, "guesses checked");
        assertEquals(8 * 6 - checked, refused);

        clock.step(Duration.ofSeconds(90));
        Response failedAddress = signIn("10.0.0.1", "bob", "another-guess");
        assertTrue(failedAddress.body().contains(" minutes."), failedAddress.body());
        assertEquals(429, failedAddress.status(), "an address that failed for bob waits out the window");
        assertTrue(Long.parseLong(failedAddress.header("Retry-After")) > 3000, failedAddress.header("Retry-After"));
        assertEquals(429, signIn("10.0.0.1", "bob", "bob-password-12").status(), "even with the right password");

        assertSignedIn(signIn("192.0.2.50", "bob", "bob-password-12"));
        assertSignedIn(signIn("2001:db8:77::1", "bob", "bob-password-12"));

        clock.step(Duration.ofHours(1));
        assertWrong(signIn("10.0.0.1", "bob", "next-window"));
        assertSignedIn(signIn("10.0.0.2", "bob", "bob-password-12"));
    }

    @Test
    void aBurstOfSimultaneousGuessesGetsNoMoreThanTheFreeOnes() throws Exception {
        String attacker = "203.0.113.99";
        int burst = 16;
        // Each guesser has its login page first, so the posts themselves arrive together.
        List<CookieBrowser> browsers = new ArrayList<>();
        List<Response> pages = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            CookieBrowser browser = CookieBrowser.at(http, attacker);
            browsers.add(browser);
            pages.add(browser.get(app.authorizePath("dcr")));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < burst; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return browsers.get(n).signIn(pages.get(n), "dave", "guess-" + n);
                }));
            }
            go.countDown();
            int checked = 0;
            for (var answer : answers) {
                Response r = answer.get();
                if (r.status() == 401) {
                    checked++;
                } else {
                    assertEquals(429, r.status(), r.body());
                }
            }
            assertTrue(checked >= 1 && checked <= 3, checked + " of " + burst + " simultaneous guesses were checked");
        }
        assertSignedIn(signIn("198.51.100.99", "dave", "dave-password-1"));
    }

    @Test
    void anIpv6GuesserCountsByItsSlash64() {
        for (int i = 0; i < 3; i++) {
            assertWrong(signIn("2001:db8:1:2::" + (i + 1), "carol", "guess-" + i));
        }
        assertThrottled(signIn("2001:db8:1:2:ffff::9", "carol", "guess-3"), 60);
        assertSignedIn(signIn("2001:db8:1:3::1", "carol", "carol-password-1"));
    }

    /** A token request as {@code clientId} from {@code address}, Basic or in the body. */
    Response token(String address, String clientId, String secret, boolean basic) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("X-Forwarded-For", address);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (basic) {
            headers.put("Authorization", TestHttp.basic(clientId, secret));
        } else {
            form.put("client_id", clientId);
            form.put("client_secret", secret);
        }
        Response r = http.send("POST", "/token", headers, TestHttp.formBody(form));
        assertTrue(r.status() < 500, r.body());
        assertEquals("no-store", r.header("Cache-Control"));
        return r;
    }

    static void assertInvalidClient(Response r, boolean throttled, long retryAfter) {
        r.assertError(401, "invalid_client");
        assertEquals(throttled, r.string("error_description").startsWith("Too many failed authentication attempts"), r.body());
        if (throttled) {
            assertRetryAfter(r, retryAfter);
        } else {
            assertEquals(null, r.header("Retry-After"));
        }
    }

    @Test
    void guessingAClientSecretIsThrottledPerClientAndTheClientElsewhereGetsItsToken() {
        for (String method : new String[]{"client_secret_basic", "client_secret_post"}) {
            boolean basic = method.equals("client_secret_basic");
            Response registered = http.register("{\"client_name\":\"Guessed\",\"grant_types\":[\"client_credentials\"],"
                    + "\"token_endpoint_auth_method\":\"" + method + "\"}");
            String id = registered.string("client_id");
            String secret = registered.string("client_secret");
            String attacker = basic ? "203.0.113.50" : "203.0.113.51";

            assertEquals(200, token(attacker, id, secret, basic).status(), "a right secret from a clean client");
            for (int i = 0; i < 3; i++) {
                assertInvalidClient(token(attacker, id, "guess-" + i, basic), false, 0);
            }
            assertInvalidClient(token(attacker, id, "guess-3", basic), true, 60);
            assertInvalidClient(token(attacker, id, secret, basic), true, 60);
            assertEquals(basic, token(attacker, id, secret, basic).header("WWW-Authenticate") != null, "Basic challenge for Basic");

            Response elsewhere = token("198.51.100.30", id, secret, basic);
            assertEquals(200, elsewhere.status(), elsewhere.body());
            assertEquals("Bearer", elsewhere.string("token_type"));

            clock.step(Duration.ofMinutes(1));
            assertEquals(200, token(attacker, id, secret, basic).status(), "after the delay, from the same address");
            assertInvalidClient(token(attacker, id, "guess-4", basic), false, 0);
        }
    }

    @Test
    void aBurstOfSimultaneousClientSecretGuessesGetsNoMoreThanTheFreeOnes() throws Exception {
        Response registered = http.register("{\"client_name\":\"Burst\",\"grant_types\":[\"client_credentials\"]}");
        String id = registered.string("client_id");
        String secret = registered.string("client_secret");
        String attacker = "203.0.113.98";
        int burst = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < burst; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return token(attacker, id, "guess-" + n, true);
                }));
            }
            go.countDown();
            int checked = 0;
            for (var answer : answers) {
                Response r = answer.get();
                r.assertError(401, "invalid_client");
                if (r.header("Retry-After") == null) {
                    checked++;
                }
            }
            // The free failures, and the one attempt this node lets through unchecked while none has failed yet.
            assertTrue(checked >= 1 && checked <= 3 + 1, checked + " of " + burst + " simultaneous guesses were checked");
        }
        assertEquals(200, token("198.51.100.98", id, secret, true).status(), "the client from a clean address");
    }

    @Test
    void anAddressGuessingAtManyClientsIsHeldBackByItsOwnCounter() {
        String attacker = "203.0.113.97";
        int checked = 0;
        // freeFailuresPerAddress is 20: one guess each at fresh clients, which have no failures of their own.
        for (int c = 0; c < 23; c++) {
            String id = http.register("{\"client_name\":\"Sprayed " + c + "\",\"grant_types\":[\"client_credentials\"]}").string("client_id");
            Response r = token(attacker, id, "guess-" + c, true);
            r.assertError(401, "invalid_client");
            if (r.header("Retry-After") == null) {
                checked++;
            }
        }
        assertEquals(20, checked, "guesses checked");
    }

    /** A client_credentials request with a client_secret_jwt assertion (RFC 7523 §2.2) made with {@code secret}. */
    Response assertionToken(String address, String clientId, String secret) {
        String assertion = Assertions.hmac(secret, JWSAlgorithm.HS512, clientId, server.issuer() + "/token")
                .exp(clock.instant().plusSeconds(60)).jwt();
        Response r = http.send("POST", "/token", Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", address),
                TestHttp.formBody(Assertions.tokenForm(assertion)));
        assertTrue(r.status() < 500, r.body());
        return r;
    }

    @Test
    void guessingTheSecretOfAClientSecretJwtClientIsThrottledAlike() {
        Response registered = http.register("""
                {"token_endpoint_auth_method": "client_secret_jwt", "token_endpoint_auth_signing_alg": "HS512",
                 "grant_types": ["client_credentials"], "response_types": []}""");
        String id = registered.string("client_id");
        String secret = registered.string("client_secret");
        String attacker = "203.0.113.70";
        for (int i = 0; i < 3; i++) {
            assertInvalidClient(assertionToken(attacker, id, "guess-" + i + "-".repeat(80)), false, 0);
        }
        assertInvalidClient(assertionToken(attacker, id, "guess-3" + "-".repeat(80)), true, 60);
        assertInvalidClient(assertionToken(attacker, id, secret), true, 60);
        assertEquals(200, assertionToken("198.51.100.70", id, secret).status(), "the client from another address");
    }

    @Test
    void theCeilingPerClientHoldsAcrossAddresses() {
        Response registered = http.register("{\"client_name\":\"Sprayed\",\"grant_types\":[\"client_credentials\"]}");
        String id = registered.string("client_id");
        String secret = registered.string("client_secret");
        int checked = 0;
        for (int a = 1; a <= 6; a++) {
            for (int tries = 0; tries < 5; tries++) {
                Response r = token("10.1.0." + a, id, "guess-" + a + "-" + tries, true);
                r.assertError(401, "invalid_client");
                if (r.header("Retry-After") == null) {
                    checked++;
                }
            }
        }
        // 3 + 3 + 3 + 1 up to the ceiling, then one from each address new to the client (10.1.0.5, .6).
        assertEquals(CEILING + 2, checked, "guesses checked");
        assertFalse(token("10.1.0.1", id, secret, true).status() == 200, "a failed address waits out the window");
        assertEquals(200, token("192.0.2.60", id, secret, true).status(), "the client from a clean address");
    }
}
