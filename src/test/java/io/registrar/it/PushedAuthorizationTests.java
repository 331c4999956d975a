package io.registrar.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
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

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.registrar.support.CookieBrowser.assertLoginPage;
import static io.registrar.support.CookieBrowser.redirectParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pushed authorization requests (RFC 9126), black-box: a client authenticates at /par as at /token,
 * its request is checked as /authorize checks it, and the browser brings only client_id and the
 * request_uri, which serves one authorization, login page included. Runs once per store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PushedAuthorizationTests {

    static final String WEB = "par-web";
    static final String WEB_SECRET = "par-web-secret-0123456789";
    static final String WEB_REDIRECT = "https://app.example.com/cb";
    static final String OTHER = "par-other";
    static final String OTHER_SECRET = "par-other-secret-0123456789";
    static final String STRICT = "par-strict";
    static final String STRICT_SECRET = "par-strict-secret-0123456789";
    static final String STRICT_REDIRECT = "https://strict.example.com/cb";
    static final String PUBLIC = "par-public";
    static final String PUBLIC_REDIRECT = "com.example.par:/cb";
    static final String URN = "urn:ietf:params:oauth:request_uri:";

    static final String CLIENTS = TestServer.staticClients("""
              - clientId: par-web
                clientSecret: par-web-secret-0123456789
                authMethod: client_secret_basic
                grantTypes: [authorization_code]
                redirectUris: ["https://app.example.com/cb"]
                scopes: [openid, profile]
              - clientId: par-other
                clientSecret: par-other-secret-0123456789
                authMethod: client_secret_post
                grantTypes: [authorization_code]
                redirectUris: ["https://other.example.com/cb"]
                scopes: [openid]
              - clientId: par-strict
                clientSecret: par-strict-secret-0123456789
                authMethod: client_secret_basic
                grantTypes: [authorization_code]
                redirectUris: ["https://strict.example.com/cb"]
                scopes: [openid]
                requirePushedAuthorizationRequests: true
              - clientId: par-public
                authMethod: none
                applicationType: native
                grantTypes: [authorization_code]
                redirectUris: ["com.example.par:/cb"]
                scopes: [openid]
            """) + "users:\n  - {username: frank, password: frank-password-1}\n";

    /** PAR optional, each client may require it. */
    TestServer server;
    /** par.required: true, on a clock the tests move forward to see a request_uri expire. */
    TestServer required;
    final SteppingClock clock = new SteppingClock();

    abstract TestDatabase database();

    @BeforeAll
    void startServers() {
        server = TestServer.start(database(), CLIENTS);
        required = TestServer.start(clock, database(), CLIENTS, "par:\n  required: true\n");
    }

    @AfterAll
    void stopServers() {
        server.close();
        required.close();
    }

    /** The authorization request {@code app} makes, as form parameters. */
    static Map<String, String> request(MobileApp app, String scope) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", app.clientId);
        p.put("redirect_uri", app.redirectUri);
        p.put("scope", scope);
        p.put("state", app.state);
        p.put("nonce", app.nonce);
        p.put("code_challenge", app.challenge());
        p.put("code_challenge_method", "S256");
        return p;
    }

    static Response push(TestHttp http, String clientId, String secret, Map<String, String> form) {
        return http.postFormBasic("/par", clientId, secret, form);
    }

    /** Pushes {@code app}'s request as par-web (client_secret_basic); asserts 201 and returns the request_uri. */
    static String pushed(TestHttp http, MobileApp app) {
        Response r = push(http, app.clientId, WEB_SECRET, request(app, "openid profile"));
        assertEquals(201, r.status(), r.body());
        return r.string("request_uri");
    }

    static String authorizePath(String clientId, String requestUri) {
        return "/authorize?client_id=" + enc(clientId) + "&request_uri=" + enc(requestUri);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void assertInvalidRequestUri(Response r) {
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().contains("invalid_request_uri"), r.body());
        assertTrue(r.header("Location") == null, "never redirected: the redirect URI is in the request it cannot find");
    }

    /** A browser with an SSO session on {@code s}, made by signing in through a pushed request of par-web. */
    CookieBrowser signedIn(TestServer s) {
        MobileApp app = new MobileApp(WEB, WEB_REDIRECT);
        CookieBrowser browser = new CookieBrowser(s.http);
        Map<String, String> back = redirectParams(browser.signIn(browser.get(authorizePath(WEB, pushed(s.http, app))), "frank",
                "frank-password-1"));
        assertNotNull(back.get("code"));
        return browser;
    }

    // ---------------------------------------------------------------- the flow

    @Test
    void aPushedRequestCompletesTheCodeFlowThroughTheLoginPage() {
        TestHttp http = server.http;
        MobileApp app = new MobileApp(WEB, WEB_REDIRECT);
        Response pushedResponse = push(http, WEB, WEB_SECRET, request(app, "openid profile"));
        assertEquals(201, pushedResponse.status(), pushedResponse.body());
        assertEquals("no-store", pushedResponse.header("Cache-Control"));
        String requestUri = pushedResponse.string("request_uri");
        assertTrue(requestUri.startsWith(URN), requestUri);
        // At least 128 bits of randomness (RFC 9126 §7.1): here 256, base64url, behind the issue time.
        String random = requestUri.substring(requestUri.lastIndexOf('.') + 1);
        assertTrue(random.length() >= 43, requestUri);
        assertEquals(300L, ((Number) pushedResponse.json().get("expires_in")).longValue(), "par.lifetime: 5m by default");

        CookieBrowser browser = new CookieBrowser(http);
        Response page = browser.get(authorizePath(WEB, requestUri));
        assertLoginPage(page);
        // The form carries the reference, not the pushed parameters: what comes back is read from the store.
        String carried = CookieBrowser.hiddenFields(page.body()).get("request");
        assertTrue(carried.contains("request_uri=") && !carried.contains(app.state) && !carried.contains("code_challenge"), carried);
        // A reload before signing in is the same request (RFC 9126 §4 allows it).
        assertLoginPage(browser.get(authorizePath(WEB, requestUri)));

        Response back = browser.signIn(page, "frank", "frank-password-1");
        Map<String, String> params = redirectParams(back);
        assertTrue(back.header("Location").startsWith(WEB_REDIRECT + "?"), back.header("Location"));
        assertEquals(app.state, params.get("state"));
        assertEquals(server.issuer(), params.get("iss"));
        Response tokens = http.postFormBasic("/token", WEB, WEB_SECRET, app.codeForm(params.get("code"), false));
        assertEquals(200, tokens.status(), tokens.body());
        assertNotNull(tokens.string("access_token"));
        assertNotNull(tokens.string("id_token"), "the pushed scope (openid) was granted");
        assertEquals("openid profile", tokens.string("scope"));

        // Used once: the same request_uri again, even in the same browser with its session, is refused.
        assertInvalidRequestUri(browser.get(authorizePath(WEB, requestUri)));
    }

    @Test
    void onlyTheClientIdBesideTheRequestUriCounts() {
        TestHttp http = server.http;
        CookieBrowser browser = signedIn(server);
        MobileApp app = new MobileApp(WEB, WEB_REDIRECT);
        String requestUri = pushed(http, app);
        Response r = browser.get(authorizePath(WEB, requestUri) + "&state=forged&scope=openid&redirect_uri="
                + enc("https://evil.example/cb") + "&prompt=none&code_challenge=" + "A".repeat(43));
        Map<String, String> params = redirectParams(r);
        assertTrue(r.header("Location").startsWith(WEB_REDIRECT + "?"), r.header("Location"));
        assertEquals(app.state, params.get("state"), "the pushed state, not the one beside it");
        Response tokens = http.postFormBasic("/token", WEB, WEB_SECRET, app.codeForm(params.get("code"), false));
        assertEquals(200, tokens.status(), "the pushed code_challenge: " + tokens.body());
        assertEquals("openid profile", tokens.string("scope"));
    }

    @Test
    void concurrentUsesOfOneRequestUriYieldOneCode() throws Exception {
        CookieBrowser browser = signedIn(server);
        for (int round = 0; round < 3; round++) {
            String requestUri = pushed(server.http, new MobileApp(WEB, WEB_REDIRECT));
            int n = 8;
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<Response>> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
                for (int i = 0; i < n; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return browser.get(authorizePath(WEB, requestUri));
                    }));
                }
            }
            int codes = 0;
            for (Future<Response> f : answers) {
                Response r = f.get();
                if (r.status() == 303) {
                    assertNotNull(redirectParams(r).get("code"), r.header("Location"));
                    codes++;
                } else {
                    assertInvalidRequestUri(r);
                }
            }
            assertEquals(1, codes, "round " + round);
        }
    }

    @Test
    void anotherClientCannotUseTheRequestUri() {
        CookieBrowser browser = signedIn(server);
        MobileApp app = new MobileApp(WEB, WEB_REDIRECT);
        String requestUri = pushed(server.http, app);
        assertInvalidRequestUri(browser.get(authorizePath(OTHER, requestUri)));
        Response twoClients = browser.get("/authorize?request_uri=" + enc(requestUri) + "&client_id=" + WEB + "&client_id=" + OTHER);
        assertEquals(400, twoClients.status(), "a repeated client_id names no client");
        assertTrue(twoClients.header("Location") == null);
        assertInvalidRequestUri(browser.get(authorizePath(WEB, URN + "made-up")));
        assertInvalidRequestUri(browser.get(authorizePath(WEB, "https://app.example.com/request.jwt")));
        // The failed attempts did not use it up.
        assertNotNull(redirectParams(browser.get(authorizePath(WEB, requestUri))).get("code"));
    }

    @Test
    void anExpiredRequestUriIsRefused() {
        CookieBrowser browser = signedIn(required);
        String requestUri = pushed(required.http, new MobileApp(WEB, WEB_REDIRECT));
        clock.step(Duration.ofMinutes(5).plusSeconds(1));
        assertInvalidRequestUri(browser.get(authorizePath(WEB, requestUri)));
    }

    // ---------------------------------------------------------------- /par refusals

    @Test
    void aPushWithoutClientAuthenticationIsRefused() {
        MobileApp app = new MobileApp(WEB, WEB_REDIRECT);
        server.http.postForm("/par", without(request(app, "openid"), "client_id")).assertError(401, "invalid_client");
        push(server.http, WEB, "wrong-secret-0123456789", request(app, "openid")).assertError(401, "invalid_client");
        // The registered method decides: a client_secret_basic client cannot name itself alone.
        server.http.postForm("/par", request(app, "openid")).assertError(401, "invalid_client");
        // Basic for one client, client_id of another in the body.
        push(server.http, WEB, WEB_SECRET, request(new MobileApp(OTHER, "https://other.example.com/cb"), "openid"))
                .assertError(400, "invalid_request");
        // client_secret_post works as at /token.
        Map<String, String> post = request(new MobileApp(OTHER, "https://other.example.com/cb"), "openid");
        post.put("client_secret", OTHER_SECRET);
        Response r = server.http.postForm("/par", post);
        assertEquals(201, r.status(), r.body());
    }

    @Test
    void aPublicClientPushesWithItsClientIdAndPkce() {
        MobileApp app = new MobileApp(PUBLIC, PUBLIC_REDIRECT);
        Response r = server.http.postForm("/par", request(app, "openid"));
        assertEquals(201, r.status(), r.body());
        CookieBrowser browser = signedIn(server);
        Map<String, String> back = redirectParams(browser.get(authorizePath(PUBLIC, r.string("request_uri"))));
        Response tokens = server.http.postForm("/token", app.codeForm(back.get("code"), true));
        assertEquals(200, tokens.status(), tokens.body());

        Map<String, String> withoutPkce = request(app, "openid");
        withoutPkce.remove("code_challenge");
        withoutPkce.remove("code_challenge_method");
        server.http.postForm("/par", withoutPkce).assertError(400, "invalid_request");
    }

    @Test
    void thePushedRequestIsCheckedAsTheAuthorizationEndpointChecksIt() {
        MobileApp app = new MobileApp(WEB, WEB_REDIRECT);
        Map<String, Map.Entry<Map<String, String>, String>> cases = new LinkedHashMap<>();
        cases.put("request_uri pushed", Map.entry(with(request(app, "openid"), "request_uri", URN + "x"), "invalid_request"));
        cases.put("unregistered redirect_uri", Map.entry(with(request(app, "openid"), "redirect_uri", "https://evil.example/cb"),
                "invalid_request"));
        cases.put("unregistered scope", Map.entry(request(app, "openid api"), "invalid_scope"));
        cases.put("response_type token", Map.entry(with(request(app, "openid"), "response_type", "token"), "unsupported_response_type"));
        cases.put("no response_type", Map.entry(without(request(app, "openid"), "response_type"), "invalid_request"));
        cases.put("plain PKCE", Map.entry(with(request(app, "openid"), "code_challenge_method", "plain"), "invalid_request"));
        cases.put("request object", Map.entry(with(request(app, "openid"), "request", "eyJhbGciOiJub25lIn0.e30."), "request_not_supported"));
        cases.put("bad max_age", Map.entry(with(request(app, "openid"), "max_age", "-1"), "invalid_request"));
        cases.forEach((name, c) -> {
            Response r = push(server.http, WEB, WEB_SECRET, c.getKey());
            assertEquals(400, r.status(), name + ": " + r.body());
            assertEquals(c.getValue(), r.json().get("error"), name + ": " + r.body());
            assertEquals("no-store", r.header("Cache-Control"), name);
        });
        // A client without the code flow is refused as at /authorize.
        push(server.http, TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET,
                request(new MobileApp(TestServer.INITIAL_CLIENT, WEB_REDIRECT), "dcr")).assertTrueStatusBelow500();
        // A repeated parameter (RFC 6749 §3.1), and a body that is not a form.
        Response repeated = server.http.send("POST", "/par", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Authorization", TestHttp.basic(WEB, WEB_SECRET)), TestHttp.formBody(request(app, "openid")) + "&scope=openid");
        repeated.assertError(400, "invalid_request");
        server.http.send("POST", "/par", Map.of("Content-Type", "application/json", "Authorization", TestHttp.basic(WEB, WEB_SECRET)),
                "{}").assertError(400, "invalid_request");
    }

    static Map<String, String> with(Map<String, String> form, String name, String value) {
        form.put(name, value);
        return form;
    }

    static Map<String, String> without(Map<String, String> form, String name) {
        form.remove(name);
        return form;
    }

    // ---------------------------------------------------------------- required (RFC 9126 §5, §6)

    @Test
    void aClientThatRequiresPushedRequestsIsRefusedWithoutOne() {
        CookieBrowser browser = signedIn(server);
        MobileApp app = new MobileApp(STRICT, STRICT_REDIRECT);
        Map<String, String> back = redirectParams(browser.get(app.authorizePath("openid")));
        assertEquals("invalid_request", back.get("error"));
        assertTrue(back.get("error_description").contains("pushed"), back.get("error_description"));
        Response r = push(server.http, STRICT, STRICT_SECRET, request(app, "openid"));
        assertEquals(201, r.status(), r.body());
        assertNotNull(redirectParams(browser.get(authorizePath(STRICT, r.string("request_uri")))).get("code"));
        // Other clients of the same server are not held to it.
        assertNotNull(redirectParams(browser.get(new MobileApp(WEB, WEB_REDIRECT).authorizePath("openid"))).get("code"));
    }

    @Test
    void aServerThatRequiresPushedRequestsRefusesEveryOtherRequest() {
        assertEquals(true, required.http.get("/.well-known/oauth-authorization-server", null).json()
                .get("require_pushed_authorization_requests"));
        CookieBrowser browser = signedIn(required);
        MobileApp app = new MobileApp(WEB, WEB_REDIRECT);
        Map<String, String> back = redirectParams(browser.get(app.authorizePath("openid")));
        assertEquals("invalid_request", back.get("error"));
        assertEquals(app.state, back.get("state"));
        Response r = push(required.http, WEB, WEB_SECRET, request(app, "openid"));
        assertEquals(201, r.status(), r.body());
        assertNotNull(redirectParams(browser.get(authorizePath(WEB, r.string("request_uri")))).get("code"));
    }

    @Test
    void discoveryAdvertisesTheEndpoint() {
        Map<String, Object> m = server.http.get("/.well-known/openid-configuration", null).json();
        assertEquals(server.issuer() + "/par", m.get("pushed_authorization_request_endpoint"));
        assertEquals(false, m.get("require_pushed_authorization_requests"));
    }

    // ---------------------------------------------------------------- a registered client, through the Nimbus SDK

    @Test
    void aRegisteredClientThatRequiresParPushesWithNimbusAndPrivateKeyJwt() throws Exception {
        TestHttp http = server.http;
        RSAKey key = new RSAKeyGenerator(2048).keyID("par-key").generate();
        Response reg = http.register("""
                {"token_endpoint_auth_method": "private_key_jwt", "jwks": %s, "redirect_uris": ["%s"],
                 "grant_types": ["authorization_code"], "scope": "openid profile",
                 "require_pushed_authorization_requests": true}""".formatted(new JWKSet(key.toPublicJWK()), WEB_REDIRECT));
        assertEquals(true, reg.json().get("require_pushed_authorization_requests"), "stored and echoed (RFC 7591 §3.2.1)");
        ClientID clientId = new ClientID(reg.string("client_id"));
        CookieBrowser browser = signedIn(server);

        // Without PAR: refused, by the client's own metadata.
        MobileApp plain = new MobileApp(clientId.getValue(), WEB_REDIRECT);
        assertEquals("invalid_request", redirectParams(browser.get(plain.authorizePath("openid"))).get("error"));

        // With PAR, built and parsed by the SDK; the assertion's audience is the PAR endpoint (RFC 9126 §2).
        URI parEndpoint = URI.create(server.issuer() + "/par");
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        AuthorizationRequest authz = new AuthorizationRequest.Builder(ResponseType.CODE, clientId)
                .redirectionURI(URI.create(WEB_REDIRECT)).scope(new Scope("openid", "profile")).state(state)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build();
        HTTPResponse httpResponse = new PushedAuthorizationRequest(parEndpoint,
                new PrivateKeyJWT(clientId, parEndpoint, JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null), authz)
                .toHTTPRequest().send();
        assertEquals(201, httpResponse.getStatusCode(), httpResponse.getBody());
        PushedAuthorizationResponse parsed = PushedAuthorizationResponse.parse(httpResponse);
        assertTrue(parsed.indicatesSuccess(), httpResponse.getBody());
        PushedAuthorizationSuccessResponse success = parsed.toSuccessResponse();
        assertTrue(success.getLifetime() > 0);

        // The SDK builds the browser's request: client_id and request_uri alone.
        URI browserUri = new AuthorizationRequest.Builder(success.getRequestURI(), clientId)
                .endpointURI(URI.create(server.issuer() + "/authorize")).build().toURI();
        assertFalse(browserUri.getQuery().contains("redirect_uri"), browserUri.toString());
        Map<String, String> back = redirectParams(browser.get(browserUri.toString()));
        assertEquals(state.getValue(), back.get("state"));

        // The code is redeemed with a fresh assertion for the token endpoint.
        URI tokenEndpoint = URI.create(server.issuer() + "/token");
        TokenResponse tokens = TokenResponse.parse(new TokenRequest(tokenEndpoint,
                new PrivateKeyJWT(clientId, tokenEndpoint, JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null),
                new AuthorizationCodeGrant(new AuthorizationCode(back.get("code")), URI.create(WEB_REDIRECT), verifier))
                .toHTTPRequest().send());
        assertTrue(tokens.indicatesSuccess(), () -> tokens.toErrorResponse().getErrorObject().toString());

        // An assertion for some other audience is refused at /par.
        URI elsewhere = URI.create("https://elsewhere.example/par");
        HTTPResponse refused = new PushedAuthorizationRequest(parEndpoint,
                new PrivateKeyJWT(clientId, elsewhere, JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null), authz)
                .toHTTPRequest().send();
        assertEquals(401, refused.getStatusCode(), refused.getBody());
        assertFalse(PushedAuthorizationResponse.parse(refused).indicatesSuccess());
    }
}
