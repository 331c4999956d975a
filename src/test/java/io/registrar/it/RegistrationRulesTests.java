package io.registrar.it;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Declarative registration rules (registration.rules), black-box over HTTP: they refuse with the RFC
 * 7591 §3.2.2 error they name, default, override and drop metadata, on registration (POST) and on
 * updates (PUT with the registration access token, and with the admin token) alike, and the response
 * shows what was stored. Runs once per store (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegistrationRulesTests {

    static final String RULES = """
            registration:
              rules:
                - name: test-clients-are-refused
                  when:
                    metadata.client_name: {matches: "(?i).*\\\\btest\\\\b.*"}
                  reject: {message: "Test clients are not registered here"}
                - name: redirect-uris-on-the-partner-domain
                  when:
                    metadata.redirect_uris: {notMatches: "https://([a-z0-9-]+\\\\.)*partner\\\\.example/.*"}
                    metadata.grant_types: {contains: authorization_code}
                  reject: {error: invalid_redirect_uri, message: "Redirect URIs must be on partner.example"}
                - name: initial-client-registrations-use-client-secret-post
                  when:
                    registrant.kind: {equals: client_authenticates}
                    registrant.client: {equals: initial-client}
                  override: {token_endpoint_auth_method: client_secret_post}
                - name: unnamed-clients-get-a-name-and-no-logo
                  default: {client_name: "Partner application"}
                  drop: [logo_uri]
                - name: updates-keep-the-client-uri
                  when:
                    operation: {equals: update}
                  override: {client_uri: "https://partner.example/updated"}
            """;

    static final String CC = "\"grant_types\":[\"client_credentials\"],\"scope\":\"api\"";

    TestServer server;
    TestHttp http;

    abstract TestDatabase database();

    @BeforeAll
    void start() {
        server = TestServer.start(database(), RULES);
        http = server.http;
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aRejectRuleRefusesTheRegistrationWithItsErrorAndMessage() {
        Response r = http.postJson("/register", http.dcrToken(), "{\"client_name\":\"My test app\"," + CC + "}")
                .assertError(400, "invalid_client_metadata");
        assertEquals(Map.of("error", "invalid_client_metadata", "error_description", "Test clients are not registered here"), r.json());
        Response uri = http.postJson("/register", http.dcrToken(), "{\"redirect_uris\":[\"https://evil.example/cb\"]}")
                .assertError(400, "invalid_redirect_uri");
        assertEquals("Redirect URIs must be on partner.example", uri.string("error_description"));
        assertFalse(uri.json().containsKey("client_id"));
    }

    @Test
    void rulesOverrideDefaultAndDropOnRegistrationAndTheResponseShowsWhatWasStored() {
        Response reg = http.register("{\"redirect_uris\":[\"https://app.partner.example/cb\"],\"logo_uri\":\"https://partner.example/logo.png\","
                + "\"token_endpoint_auth_method\":\"client_secret_basic\"}");
        Map<String, Object> info = reg.json();
        assertEquals("client_secret_post", info.get("token_endpoint_auth_method"), "overridden for the initial client's registrations");
        assertEquals("Partner application", info.get("client_name"), "defaulted");
        assertFalse(info.containsKey("logo_uri"), "dropped");
        assertFalse(info.containsKey("client_uri"), "the update-only rule does not fire on registration");

        // What was stored is what the response showed: the client authenticates as the override says.
        String clientId = (String) info.get("client_id");
        Response token = http.postForm("/token", Map.of("grant_type", "authorization_code", "code", "x", "redirect_uri",
                "https://app.partner.example/cb", "client_id", clientId, "client_secret", (String) info.get("client_secret")));
        assertEquals("invalid_grant", token.string("error"), "client_secret_post authenticated; only the made-up code is refused");

        Response named = http.register("{\"client_name\":\"Inventory sync\",\"logo_uri\":\"https://partner.example/l.png\"," + CC + "}");
        assertEquals("Inventory sync", named.string("client_name"), "a default does not replace what was sent");
        assertFalse(named.json().containsKey("logo_uri"));
    }

    @Test
    void rulesRunOnUpdatesByTheClientAndByTheAdministrator() {
        Map<String, Object> info = http.register("{\"client_name\":\"Inventory sync\"," + CC + "}").json();
        String clientId = (String) info.get("client_id");
        String uri = (String) info.get("registration_client_uri");
        String rat = (String) info.get("registration_access_token");

        // Refused: nothing changes, and the token still works (a refused PUT rotates nothing).
        Response refused = http.putJson(uri, rat, "{\"client_id\":\"" + clientId + "\",\"client_name\":\"Test\"," + CC + "}")
                .assertError(400, "invalid_client_metadata");
        assertEquals("Test clients are not registered here", refused.string("error_description"));
        Response uriRefused = http.putJson(uri, rat, "{\"client_id\":\"" + clientId + "\",\"redirect_uris\":[\"https://app.other.example/cb\"]}")
                .assertError(400, "invalid_redirect_uri");
        assertFalse(uriRefused.json().containsKey("client_id"));

        Response put = http.putJson(uri, rat, "{\"client_id\":\"" + clientId + "\",\"logo_uri\":\"https://partner.example/l.png\","
                + "\"token_endpoint_auth_method\":\"client_secret_basic\"," + CC + "}");
        assertEquals(200, put.status(), put.body());
        Map<String, Object> updated = put.json();
        assertEquals("Partner application", updated.get("client_name"), "defaulted again: a PUT replaces the metadata (RFC 7592 §2.2)");
        assertEquals("client_secret_post", updated.get("token_endpoint_auth_method"), "the client keeps the way it was registered");
        assertFalse(updated.containsKey("logo_uri"));
        assertEquals("https://partner.example/updated", updated.get("client_uri"), "the update-only rule fired");
        assertEquals(List.of("client_credentials"), updated.get("grant_types"));

        // The admin token (dcrm) updates through the same rules.
        Response admin = http.putJson(uri, http.adminToken(), "{\"client_id\":\"" + clientId + "\",\"client_name\":\"Test sync\"," + CC + "}")
                .assertError(400, "invalid_client_metadata");
        assertEquals("Test clients are not registered here", admin.string("error_description"));
        Response adminPut = http.putJson(uri, http.adminToken(), "{\"client_id\":\"" + clientId + "\",\"client_name\":\"Renamed\"," + CC + "}");
        assertEquals(200, adminPut.status(), adminPut.body());
        assertEquals("Renamed", adminPut.string("client_name"));
        assertEquals("client_secret_post", adminPut.string("token_endpoint_auth_method"));
        assertEquals("https://partner.example/updated", adminPut.string("client_uri"));
    }
}
