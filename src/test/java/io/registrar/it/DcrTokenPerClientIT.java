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

import java.util.Map;

import static io.registrar.support.CookieBrowser.redirectParams;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DCR-token settings per initial client (staticClients[].dcrToken): how many registrations one token
 * allows, how long it lives, and which templates its registrations are made from; the server-wide
 * registration.initialTokenUses and tokens.initialTokenLifetime for clients that set nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DcrTokenPerClientIT {

    static final String PARTNER = "partner-a";
    static final String PARTNER_SECRET = "partner-a-secret-0123456789";
    static final String UNLIMITED = "partner-b";
    static final String UNLIMITED_SECRET = "partner-b-secret-0123456789";
    static final String LOOPBACK = "http://127.0.0.1:51234/callback";

    TestServer server;
    TestHttp http;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabase.H2, TestServer.staticClients("""
                  - clientId: partner-a
                    clientSecret: partner-a-secret-0123456789
                    authMethod: client_secret_basic
                    scopes: [dcr]
                    dcrToken: {uses: 3, lifetime: 2m, templates: [com.example.partner]}
                  - clientId: partner-b
                    clientSecret: partner-b-secret-0123456789
                    authMethod: client_secret_basic
                    scopes: [dcr]
                    dcrToken: {uses: 0}
                  - clientId: mobile-dcr-client
                    authMethod: none
                    applicationType: native
                    grantTypes: [authorization_code]
                    redirectUris: ["http://127.0.0.1/callback"]
                    scopes: [dcr]
                    dcrToken: {uses: 2, lifetime: 90s, templates: [com.example.mobile]}
                """), """
                users:
                  - {username: alice, password: alice-password-1}
                templates:
                  - id: com.example.partner
                    clientName: Partner Service
                    scopes: [api]
                    grantTypes: [client_credentials]
                    authMethod: client_secret_basic
                  - id: com.example.mobile
                    clientName: Example Mobile
                    applicationType: native
                    redirectUris: ["http://127.0.0.1/callback"]
                    scopes: [openid]
                    grantTypes: [authorization_code]
                    authMethod: client_secret_basic
                """);
        http = server.http;
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Response dcrToken(String clientId, String secret) {
        Response r = http.postFormBasic("/token", clientId, secret, Map.of("grant_type", "client_credentials", "scope", "dcr"));
        assertEquals(200, r.status(), r.body());
        return r;
    }

    @Test
    void aClientsOwnUsesLifetimeAndTemplateApplyToItsTokens() {
        Response token = dcrToken(PARTNER, PARTNER_SECRET);
        assertEquals(120, ((Number) token.json().get("expires_in")).intValue(), token.body());
        String dcr = token.string("access_token");

        // Another template than the client's is refused, and costs no use.
        http.postJson("/register", dcr, "{\"software_id\": \"com.example.mobile\"}").assertError(400, "invalid_client_metadata");
        for (int i = 0; i < 3; i++) {
            // Its one template applies without being named.
            Response r = http.postJson("/register", dcr, "{\"client_name\": \"ignored\"}");
            assertEquals(201, r.status(), r.body());
            assertEquals("com.example.partner", r.string("software_id"));
            assertEquals("Partner Service", r.string("client_name"));
        }
        http.postJson("/register", dcr, "{\"software_id\": \"com.example.partner\"}").assertError(401, "invalid_token");
    }

    @Test
    void zeroUsesAllowsAnyNumberUntilExpiryWithTheServerWideLifetime() {
        Response token = dcrToken(UNLIMITED, UNLIMITED_SECRET);
        assertEquals(600, ((Number) token.json().get("expires_in")).intValue(), "tokens.initialTokenLifetime");
        for (int i = 0; i < 4; i++) {
            Response r = http.postJson("/register", token.string("access_token"), "{\"grant_types\": [\"client_credentials\"]}");
            assertEquals(201, r.status(), r.body());
        }
    }

    @Test
    void aClientThatSetsNothingKeepsTheServerWideSettings() {
        Response token = dcrToken(TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET);
        assertEquals(600, ((Number) token.json().get("expires_in")).intValue());
        String dcr = token.string("access_token");
        Response r = http.postJson("/register", dcr, "{\"software_id\": \"com.example.mobile\"}");
        assertEquals(201, r.status(), r.body());
        http.postJson("/register", dcr, "{\"grant_types\": [\"client_credentials\"]}").assertError(401, "invalid_token");
    }

    @Test
    void aRegistrationClientsSettingsApplyToTheTokenAUsersLoginBuys() {
        CookieBrowser browser = new CookieBrowser(http);
        MobileApp app = new MobileApp(TestServer.MOBILE_DCR_CLIENT, LOOPBACK);
        Response page = browser.get(app.authorizePath("dcr"));
        CookieBrowser.assertLoginPage(page);
        Map<String, String> back = redirectParams(browser.signIn(page, "alice", "alice-password-1"));
        Response token = http.postForm("/token", app.codeForm(back.get("code"), true));
        assertEquals(200, token.status(), token.body());
        assertEquals(90, ((Number) token.json().get("expires_in")).intValue(), token.body());
        String dcr = token.string("access_token");
        for (int i = 0; i < 2; i++) {
            Response r = http.postJson("/register", dcr, "{}");
            assertEquals(201, r.status(), r.body());
            assertEquals("com.example.mobile", r.string("software_id"));
        }
        http.postJson("/register", dcr, "{}").assertError(401, "invalid_token");
    }
}
