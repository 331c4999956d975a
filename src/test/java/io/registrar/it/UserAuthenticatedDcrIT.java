package io.registrar.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
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

import java.util.List;
import java.util.Map;

import static io.registrar.support.CookieBrowser.redirectParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3 over HTTP, step by step: the mobile app's user signs in for a DCR token, registers its own
 * client from a template, signs in again silently (SSO), uses its own secret for tokens, refreshes
 * with rotation, and the operator cuts the device off. The same story in a real browser is
 * {@link MobileAppInChromiumIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserAuthenticatedDcrIT {

    static final String LOOPBACK = "http://127.0.0.1:51234/callback";

    TestServer server;
    TestHttp http;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabase.H2, TestServer.MOBILE);
        http = server.http;
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** The seed's first step: sign in through mobile-dcr-client (code + PKCE, scope dcr) for a DCR token. */
    String dcrTokenThroughLogin(CookieBrowser browser, String user, String password) {
        MobileApp registrationApp = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);
        Response page = browser.get(registrationApp.authorizePath("dcr"));
        CookieBrowser.assertLoginPage(page);
        Map<String, String> back = redirectParams(browser.signIn(page, user, password));
        assertEquals(registrationApp.state, back.get("state"));
        assertEquals(server.issuer(), back.get("iss"));
        Response token = http.postForm("/token", registrationApp.codeForm(back.get("code"), true));
        assertEquals(200, token.status(), token.body());
        assertEquals("dcr", token.string("scope"));
        assertNull(token.json().get("refresh_token"), "a DCR token comes alone");
        return token.string("access_token");
    }

    Map<String, Object> registerInstance(String dcrToken) {
        Response r = http.postJson("/register", dcrToken, "{\"software_id\":\"" + TestServer.TEMPLATE
                + "\",\"redirect_uris\":[\"https://evil.example/cb\"],\"scope\":\"openid\",\"software_version\":\"1.0\"}");
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    /** The registered instance's own code flow; with a live SSO session no password is asked. */
    Map<String, Object> instanceTokens(CookieBrowser browser, MobileApp app, String secret) {
        Response r = browser.get(app.authorizePath("openid profile email"));
        Map<String, String> back = redirectParams(r);
        assertEquals(app.state, back.get("state"));
        Response token = http.postFormBasic("/token", app.clientId, secret, app.codeForm(back.get("code"), false));
        assertEquals(200, token.status(), token.body());
        return token.json();
    }

    @Test
    void theMobileStoryEndToEnd() throws Exception {
        CookieBrowser browser = new CookieBrowser(http);
        String dcrToken = dcrTokenThroughLogin(browser, "alice", "alice-password-1");
        String sub = http.introspect(dcrToken).string("sub");

        Map<String, Object> instance = registerInstance(dcrToken);
        assertEquals(sub, instance.get("authenticated_user"), "the user is recorded on the client");
        // The template wins over what the request said; the response has the usual shape.
        assertEquals(List.of("com.example.mobile:/callback", "http://127.0.0.1/callback"), instance.get("redirect_uris"));
        assertEquals("openid profile email", instance.get("scope"));
        assertEquals("Example Mobile", instance.get("client_name"));
        assertEquals("1.0", instance.get("software_version"));
        for (String member : List.of("client_id", "client_secret", "registration_access_token", "registration_client_uri")) {
            assertNotNull(instance.get(member), member);
        }
        String clientId = (String) instance.get("client_id");
        String secret = (String) instance.get("client_secret");
        // A DCR token is good for one registration by default.
        assertEquals(401, http.postJson("/register", dcrToken, "{\"software_id\":\"com.example.mobile\"}").status());

        // Second sign-in is automatic: the loopback redirect matches on any port (RFC 8252 §7.3).
        MobileApp app = new MobileApp(clientId, "http://127.0.0.1:40123/callback");
        Map<String, Object> tokens = instanceTokens(browser, app, secret);
        String accessToken = (String) tokens.get("access_token");
        String refreshToken = (String) tokens.get("refresh_token");
        assertNotNull(refreshToken, "a confidential per-instance client gets a refresh token");

        SignedJWT idToken = SignedJWT.parse((String) tokens.get("id_token"));
        assertEquals(JWSAlgorithm.RS256, idToken.getHeader().getAlgorithm());
        assertTrue(idToken.verify(new RSASSAVerifier(jwks().getKeyByKeyId(idToken.getHeader().getKeyID()).toRSAKey())));
        var claims = idToken.getJWTClaimsSet();
        assertEquals(server.issuer(), claims.getIssuer());
        assertEquals(sub, claims.getSubject());
        assertEquals(List.of(clientId), claims.getAudience());
        assertEquals(app.nonce, claims.getStringClaim("nonce"));
        assertNotNull(claims.getLongClaim("auth_time"));
        assertTrue(claims.getExpirationTime().after(claims.getIssueTime()));
        assertEquals(AccessTokenHash.compute(new com.nimbusds.oauth2.sdk.token.BearerAccessToken(accessToken), JWSAlgorithm.RS256, null)
                .getValue(), claims.getStringClaim("at_hash"));

        Response userInfo = http.get("/userinfo", accessToken);
        assertEquals(200, userInfo.status(), userInfo.body());
        assertEquals(sub, userInfo.string("sub"));
        assertEquals("alice", userInfo.string("preferred_username"));
        assertEquals("alice@example.com", userInfo.string("email"));

        // Refresh rotates: a new refresh token each time, the old one dead.
        Response refreshed = refresh(clientId, secret, refreshToken);
        assertEquals(200, refreshed.status(), refreshed.body());
        String refreshToken2 = refreshed.string("refresh_token");
        assertNotEquals(refreshToken, refreshToken2);
        assertEquals(false, http.introspect(refreshToken).json().get("active"));
        assertEquals(true, http.introspect(refreshToken2).json().get("active"));

        // The operator lists alice's clients and cuts this device off.
        String admin = http.adminToken();
        Response listed = http.get("/admin/clients?user=alice", admin);
        assertEquals(200, listed.status(), listed.body());
        assertTrue(listed.body().contains(clientId), listed.body());
        Response revoked = http.postJson("/admin/clients/" + clientId + "/revoke", admin, "{\"reason\":\"phone stolen\"}");
        assertEquals(200, revoked.status(), revoked.body());
        assertEquals("revoked", revoked.string("status"));

        String accessToken2 = refreshed.string("access_token");
        assertEquals(false, http.introspect(accessToken2).json().get("active"));
        assertEquals(false, http.introspect(refreshToken2).json().get("active"));
        refresh(clientId, secret, refreshToken2).assertError(401, "invalid_client");
        http.clientCredentialsToken(clientId, secret).assertError(401, "invalid_client");
        http.get("/register/" + clientId, (String) instance.get("registration_access_token")).assertError(401, "invalid_token");
        http.get("/userinfo", accessToken2).assertError(401, "invalid_token");
        // The revoked instance cannot start a sign-in either; an error page, never a redirect.
        Response page = browser.get(app.authorizePath("openid"));
        assertEquals(400, page.status());
        assertNull(page.header("Location"));

        // Re-enabling is possible and audited.
        Response enabled = http.postJson("/admin/clients/" + clientId + "/enable", admin, "{\"reason\":\"phone found\"}");
        assertEquals(200, enabled.status(), enabled.body());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) enabled.json().get("status_history");
        assertEquals(List.of("revoked", "active"), history.stream().map(h -> h.get("status")).toList());
        assertEquals(List.of("phone stolen", "phone found"), history.stream().map(h -> h.get("reason")).toList());
        assertEquals(TestServer.ADMIN_CLIENT, history.getFirst().get("actor"));
        assertEquals(200, refresh(clientId, secret, refreshToken2).status());
    }

    @Test
    void aReplayedRefreshTokenRevokesTheWholeFamily() {
        CookieBrowser browser = new CookieBrowser(http);
        Map<String, Object> instance = registerInstance(dcrTokenThroughLogin(browser, "bob", "bob-password-12"));
        String clientId = (String) instance.get("client_id");
        String secret = (String) instance.get("client_secret");
        Map<String, Object> tokens = instanceTokens(browser, new MobileApp(clientId, LOOPBACK), secret);
        String first = (String) tokens.get("refresh_token");
        Response second = refresh(clientId, secret, first);
        assertEquals(200, second.status());
        // An attacker (or a confused client) presents the rotated token: every token of the grant dies.
        refresh(clientId, secret, first).assertError(400, "invalid_grant");
        assertEquals(false, http.introspect(second.string("access_token")).json().get("active"));
        refresh(clientId, secret, second.string("refresh_token")).assertError(400, "invalid_grant");
        assertEquals(false, http.introspect((String) tokens.get("access_token")).json().get("active"));
    }

    @Test
    void revokingARefreshTokenRevokesItsFamily() {
        CookieBrowser browser = new CookieBrowser(http);
        Map<String, Object> instance = registerInstance(dcrTokenThroughLogin(browser, "bob", "bob-password-12"));
        String clientId = (String) instance.get("client_id");
        String secret = (String) instance.get("client_secret");
        Map<String, Object> tokens = instanceTokens(browser, new MobileApp(clientId, LOOPBACK), secret);
        Response r = http.postFormBasic("/revoke", clientId, secret, Map.of("token", (String) tokens.get("refresh_token"),
                "token_type_hint", "refresh_token"));
        assertEquals(200, r.status(), r.body());
        assertEquals(false, http.introspect((String) tokens.get("access_token")).json().get("active"));
        refresh(clientId, secret, (String) tokens.get("refresh_token")).assertError(400, "invalid_grant");
    }

    @Test
    void pkceIsRequiredForPublicClientsAndPlainIsRefused() {
        CookieBrowser browser = new CookieBrowser(http);
        MobileApp app = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);
        Map<String, String> noPkce = redirectParams(browser.get(app.authorizePath("dcr",
                java.util.Map.of("code_challenge", "", "code_challenge_method", "")).replace("&code_challenge=&code_challenge_method=", "")));
        assertEquals("invalid_request", noPkce.get("error"));
        assertEquals(app.state, noPkce.get("state"));
        Map<String, String> plain = redirectParams(browser.get(app.authorizePath("dcr", Map.of("code_challenge_method", "plain"))));
        assertEquals("invalid_request", plain.get("error"));
        assertTrue(plain.get("error_description").contains("S256"));
    }

    @Test
    void aWrongVerifierOrAReplayedCodeGetsInvalidGrant() {
        CookieBrowser browser = new CookieBrowser(http);
        MobileApp app = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);
        String code = redirectParams(browser.signIn(browser.get(app.authorizePath("dcr")), "bob", "bob-password-12")).get("code");
        Map<String, String> wrong = new java.util.LinkedHashMap<>(app.codeForm(code, true));
        wrong.put("code_verifier", new MobileApp("x", "y").verifier);
        http.postForm("/token", wrong).assertError(400, "invalid_grant");
        // The code was spent by the failed attempt; a second try is a replay.
        http.postForm("/token", app.codeForm(code, true)).assertError(400, "invalid_grant");

        String code2 = redirectParams(browser.get(app.authorizePath("dcr"))).get("code");
        Response ok = http.postForm("/token", app.codeForm(code2, true));
        assertEquals(200, ok.status(), ok.body());
        http.postForm("/token", app.codeForm(code2, true)).assertError(400, "invalid_grant");
        // RFC 6749 §4.1.2: the replay revoked what the code had bought.
        assertEquals(false, http.introspect(ok.string("access_token")).json().get("active"));
    }

    @Test
    void unknownClientOrRedirectUriGetsAPageNeverARedirect() {
        CookieBrowser browser = new CookieBrowser(http);
        Response unknownClient = browser.get(new MobileApp("no-such-client", LOOPBACK).authorizePath("dcr"));
        assertEquals(400, unknownClient.status());
        assertNull(unknownClient.header("Location"));
        assertTrue(unknownClient.header("Content-Type").startsWith("text/html"));
        Response wrongRedirect = browser.get(new MobileApp(TestServer.MOBILE_DCR_CLIENT, "https://evil.example/cb").authorizePath("dcr"));
        assertEquals(400, wrongRedirect.status());
        assertNull(wrongRedirect.header("Location"));
        // Loopback on any port, but only the registered path.
        Response otherPath = browser.get(new MobileApp(TestServer.MOBILE_DCR_CLIENT, "http://127.0.0.1:5000/other").authorizePath("dcr"));
        assertEquals(400, otherPath.status());
        // Once client and redirect URI are known, errors go back to the client with state and iss.
        MobileApp app = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);
        Map<String, String> badScope = redirectParams(browser.get(app.authorizePath("openid")));
        assertEquals("invalid_scope", badScope.get("error"));
        assertEquals(app.state, badScope.get("state"));
        assertEquals(server.issuer(), badScope.get("iss"));
        assertEquals("unsupported_response_type",
                redirectParams(browser.get(app.authorizePath("dcr", Map.of("response_type", "token")))).get("error"));
    }

    @Test
    void promptAndMaxAgeDecideWhetherThePasswordIsAskedAgain() {
        CookieBrowser browser = new CookieBrowser(http);
        MobileApp app = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);
        assertEquals("login_required", redirectParams(browser.get(app.authorizePath("dcr", Map.of("prompt", "none")))).get("error"));
        Response page = browser.get(app.authorizePath("dcr", Map.of("login_hint", "bob")));
        assertTrue(page.body().contains("value=\"bob\""), "login_hint prefills the username");
        redirectParams(browser.signIn(page, "bob", "bob-password-12"));
        assertNotNull(redirectParams(browser.get(app.authorizePath("dcr", Map.of("prompt", "none")))).get("code"));
        CookieBrowser.assertLoginPage(browser.get(app.authorizePath("dcr", Map.of("prompt", "login"))));
        CookieBrowser.assertLoginPage(browser.get(app.authorizePath("dcr", Map.of("max_age", "0"))));
    }

    @Test
    void theSessionCookieIsSecureHttpOnlyAndLax() {
        CookieBrowser browser = new CookieBrowser(http);
        dcrTokenThroughLogin(browser, "bob", "bob-password-12");
        String session = browser.setCookieHeaders.stream().filter(h -> h.startsWith("registrar_session=")).findFirst().orElseThrow();
        assertTrue(session.contains("; Secure") && session.contains("; HttpOnly") && session.contains("SameSite=Lax"), session);
    }

    @Test
    void signInIsThrottledAfterThreeFailuresFromOneAddressAndTheFormIsCsrfProtected() {
        CookieBrowser browser = new CookieBrowser(http);
        MobileApp app = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);
        Response page = browser.get(app.authorizePath("dcr"));
        Map<String, String> forged = CookieBrowser.hiddenFields(page.body());
        forged.put("csrf", "forged");
        forged.put("username", "carol");
        forged.put("password", "carol-password-1");
        Response csrf = browser.postForm("/login", forged);
        assertEquals(400, csrf.status());
        assertFalse(browser.hasCookie("registrar_session"));

        for (int i = 0; i < 3; i++) {
            Response wrong = browser.signIn(browser.get(app.authorizePath("dcr")), "carol", "not-her-password");
            assertEquals(401, wrong.status());
            assertTrue(wrong.body().contains("incorrect"), wrong.body());
        }
        Response throttled = browser.signIn(browser.get(app.authorizePath("dcr")), "carol", "carol-password-1");
        assertEquals(429, throttled.status());
        assertTrue(throttled.body().contains("Too many failed sign-in attempts. Try again in 5 minutes."), throttled.body());
        assertEquals("300", throttled.header("Retry-After"));
        assertFalse(browser.hasCookie("registrar_session"));
    }

    @Test
    void templatesApplyLiveToEveryClientMadeFromThem() {
        String admin = http.adminToken();
        Response created = http.putJson("/admin/templates/com.example.live", admin, """
                {"client_name":"Live","application_type":"native","redirect_uris":["com.example.live:/cb"],
                 "scope":"openid","grant_types":["authorization_code","refresh_token"],"access_token_lifetime":600}""");
        assertEquals(200, created.status(), created.body());
        Response reg = http.postJson("/register", http.dcrToken(), "{\"software_id\":\"com.example.live\"}");
        assertEquals(201, reg.status(), reg.body());
        String clientId = reg.string("client_id");
        String rat = reg.string("registration_access_token");
        assertEquals(List.of("com.example.live:/cb"), reg.json().get("redirect_uris"));
        // The template's token lifetime applies to the client's tokens.
        CookieBrowser signedIn = new CookieBrowser(http);
        dcrTokenThroughLogin(signedIn, "bob", "bob-password-12");
        MobileApp liveApp = new MobileApp(clientId, "com.example.live:/cb");
        String code = redirectParams(signedIn.get(liveApp.authorizePath("openid"))).get("code");
        Response tokens = http.postFormBasic("/token", clientId, reg.string("client_secret"), liveApp.codeForm(code, false));
        assertEquals(200, tokens.status(), tokens.body());
        assertEquals(600, ((Number) tokens.json().get("expires_in")).intValue());

        assertEquals(200, http.putJson("/admin/templates/com.example.live", admin, """
                {"client_name":"Live 2","application_type":"native","redirect_uris":["com.example.live:/cb2"],
                 "scope":"openid profile","grant_types":["authorization_code","refresh_token"]}""").status());
        // Read back through RFC 7592 (admin, so nothing rotates): the client follows the template at once.
        Response read = http.get("/register/" + clientId, admin);
        assertEquals(200, read.status(), read.body());
        assertEquals(List.of("com.example.live:/cb2"), read.json().get("redirect_uris"));
        assertEquals("openid profile", read.string("scope"));
        assertEquals("Live 2", read.string("client_name"));
        // ... and the authorization endpoint too: the old redirect URI is gone.
        CookieBrowser browser = new CookieBrowser(http);
        assertEquals(400, browser.get(new MobileApp(clientId, "com.example.live:/cb").authorizePath("openid")).status());
        CookieBrowser.assertLoginPage(browser.get(new MobileApp(clientId, "com.example.live:/cb2").authorizePath("openid")));
        assertNotNull(rat);
    }

    @Test
    void templatizedRegistrationNeedsADcrTokenAndAKnownTemplate() {
        DcrFlowTests.assertBareBearerChallenge(http.postJson("/register", null, "{\"software_id\":\"com.example.mobile\"}"));
        http.postJson("/register", http.dcrToken(), "{\"software_id\":\"com.example.unknown\"}").assertError(400, "invalid_client_metadata");
    }

    @Test
    void endSessionWithAHintSignsOutAndReturnsToTheApp() throws Exception {
        CookieBrowser browser = new CookieBrowser(http);
        Map<String, Object> instance = registerInstance(dcrTokenThroughLogin(browser, "bob", "bob-password-12"));
        String clientId = (String) instance.get("client_id");
        Map<String, Object> tokens = instanceTokens(browser, new MobileApp(clientId, LOOPBACK), (String) instance.get("client_secret"));
        Response out = browser.get("/logout?id_token_hint=" + tokens.get("id_token")
                + "&post_logout_redirect_uri=com.example.mobile:/logout&state=s1");
        assertEquals(303, out.status(), out.body());
        assertEquals("com.example.mobile:/logout?state=s1", out.header("Location"));
        // The SSO session is over: the next sign-in asks for the password.
        CookieBrowser.assertLoginPage(browser.get(new MobileApp(clientId, LOOPBACK).authorizePath("openid")));
        // Not a registered post-logout URI: a page, not a redirect.
        assertEquals(400, browser.get("/logout?client_id=" + clientId + "&post_logout_redirect_uri=https://evil.example/").status());
    }

    @Test
    void endSessionWithoutAHintAsksTheUserFirst() {
        CookieBrowser browser = new CookieBrowser(http);
        dcrTokenThroughLogin(browser, "bob", "bob-password-12");
        Response confirm = browser.get("/logout");
        assertEquals(200, confirm.status());
        assertTrue(confirm.body().contains("Sign out?"));
        MobileApp app = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);
        assertNotNull(redirectParams(browser.get(app.authorizePath("dcr"))).get("code"), "still signed in until confirmed");
        Response done = browser.postForm("/logout", CookieBrowser.hiddenFields(confirm.body()));
        assertEquals(200, done.status(), done.body());
        CookieBrowser.assertLoginPage(browser.get(app.authorizePath("dcr")));
    }

    @Test
    void idTokensAreSignedWithTheClientsAlgorithm() throws Exception {
        for (String alg : List.of("ES256", "PS256")) {
            CookieBrowser browser = new CookieBrowser(http);
            dcrTokenThroughLogin(browser, "bob", "bob-password-12");
            Response reg = http.postJson("/register", http.dcrToken(), """
                    {"application_type":"native","redirect_uris":["http://127.0.0.1/callback"],"scope":"openid profile email",
                     "grant_types":["authorization_code"],"id_token_signed_response_alg":"%s"}""".formatted(alg));
            assertEquals(201, reg.status(), reg.body());
            Map<String, Object> tokens = instanceTokens(browser, new MobileApp(reg.string("client_id"), LOOPBACK),
                    reg.string("client_secret"));
            SignedJWT idToken = SignedJWT.parse((String) tokens.get("id_token"));
            assertEquals(alg, idToken.getHeader().getAlgorithm().getName());
            var key = jwks().getKeyByKeyId(idToken.getHeader().getKeyID());
            assertTrue(idToken.verify(key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) key)));
            assertNull(tokens.get("refresh_token"), "no refresh_token grant registered, no refresh token");
        }
    }

    @Test
    void aPerInstanceClientServesOnlyTheUserWhoRegisteredIt() {
        CookieBrowser alice = new CookieBrowser(http);
        Map<String, Object> instance = registerInstance(dcrTokenThroughLogin(alice, "alice", "alice-password-1"));
        CookieBrowser bob = new CookieBrowser(http);
        dcrTokenThroughLogin(bob, "bob", "bob-password-12");
        Map<String, String> back = redirectParams(bob.get(new MobileApp((String) instance.get("client_id"), LOOPBACK).authorizePath("openid")));
        assertEquals("access_denied", back.get("error"));
    }

    @Test
    void whichWaysOfAuthorisingARegistrationAreOnIsConfiguration() {
        try (TestServer clientOnly = TestServer.start(TestDatabase.H2, TestServer.MOBILE,
                "registration:\n  authorization: [client_authenticates]\n")) {
            CookieBrowser browser = new CookieBrowser(clientOnly.http);
            MobileApp app = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);
            assertEquals("invalid_scope", redirectParams(browser.get(app.authorizePath("dcr"))).get("error"));
            assertEquals(200, clientOnly.http.postFormBasic("/token", TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET,
                    Map.of("grant_type", "client_credentials", "scope", "dcr")).status());
        }
        try (TestServer userOnly = TestServer.start(TestDatabase.H2, TestServer.MOBILE,
                "registration:\n  authorization: [user_authenticates]\n")) {
            userOnly.http.postFormBasic("/token", TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET,
                    Map.of("grant_type", "client_credentials", "scope", "dcr")).assertError(400, "invalid_scope");
            CookieBrowser browser = new CookieBrowser(userOnly.http);
            MobileApp app = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);
            String code = redirectParams(browser.signIn(browser.get(app.authorizePath("dcr")), "bob", "bob-password-12")).get("code");
            Response dcr = userOnly.http.postForm("/token", app.codeForm(code, true));
            assertEquals(201, userOnly.http.postJson("/register", dcr.string("access_token"),
                    "{\"software_id\":\"com.example.mobile\"}").status());
        }
    }

    @Test
    void anInvalidTemplateOrStaticRedirectUriStopsStartUpNamingTheKey() {
        io.registrar.config.ConfigException template = org.junit.jupiter.api.Assertions.assertThrows(
                io.registrar.config.ConfigException.class, () -> TestServer.start(TestDatabase.H2,
                        "templates:\n  - {id: t, redirectUris: [\"http://app.example.com/cb\"], scopes: [openid]}\n"));
        assertTrue(template.getMessage().contains("templates[0]"), template.getMessage());
        io.registrar.config.ConfigException redirect = org.junit.jupiter.api.Assertions.assertThrows(
                io.registrar.config.ConfigException.class, () -> TestServer.start(TestDatabase.H2, TestServer.staticClients("""
                          - clientId: m
                            authMethod: none
                            applicationType: native
                            grantTypes: [authorization_code]
                            redirectUris: ["http://localhost/cb"]
                        """)));
        assertTrue(redirect.getMessage().contains("staticClients[3].redirectUris"), redirect.getMessage());
    }

    @Test
    void hostileInputOnTheBrowserAndOperatorEndpointsGetsClearErrors() {
        CookieBrowser browser = new CookieBrowser(http);
        assertEquals(400, browser.get("/authorize").status());
        assertEquals(400, browser.get("/authorize?client_id=" + "x".repeat(5000)).status());
        assertEquals(400, browser.postForm("/login", Map.of("username", "alice")).status());
        assertEquals(400, browser.postForm("/login", Map.of("request", "%%%", "csrf", "x")).status());
        DcrFlowTests.assertBareBearerChallenge(http.get("/userinfo", null));
        DcrFlowTests.assertBareBearerChallenge(http.get("/admin/clients?user=alice", null));
        http.get("/admin/clients?user=alice", http.dcrToken()).assertError(403, "insufficient_scope");
        http.get("/admin/clients", http.adminToken()).assertError(400, "invalid_request");
        http.postJson("/admin/clients/nope/revoke", http.adminToken(), "{}").assertError(404, "invalid_request");
        http.putJson("/admin/templates/t", http.adminToken(), "{\"redirect_uris\":[\"javascript:x\"]}").assertTrueStatusBelow500();
        http.postForm("/token", Map.of("grant_type", "authorization_code", "client_id", TestServer.MOBILE_DCR_CLIENT,
                "code", "nope", "code_verifier", "v".repeat(43))).assertError(400, "invalid_grant");
        http.postFormBasic("/token", TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET,
                Map.of("grant_type", "refresh_token", "refresh_token", "nope")).assertError(400, "unauthorized_client");
    }

    private Response refresh(String clientId, String secret, String refreshToken) {
        return http.postFormBasic("/token", clientId, secret, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    private JWKSet jwks() throws Exception {
        return JWKSet.parse(http.get("/jwks", null).body());
    }
}
