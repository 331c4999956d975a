package io.registrar.it;

import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestPki;
import io.registrar.support.TestServer;
import net.minidev.json.JSONValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Explain mode (issue 20 §5), black-box over HTTP: POST /admin/explain runs the whole registration or
 * update and answers each step, what it changed or why it refused, and the metadata that would be
 * stored; it stores nothing, issues nothing and uses nothing up. Runs once per store (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExplainTests {

    static final String RULES = """
            registration:
              rules:
                - name: test-clients-are-refused
                  when:
                    metadata.client_name: {matches: "(?i).*\\\\btest\\\\b.*"}
                  reject: {message: "Test clients are not registered here"}
                - name: initial-client-registrations-use-client-secret-post
                  when:
                    registrant.client: {equals: initial-client}
                  override: {token_endpoint_auth_method: client_secret_post}
                - name: unnamed-clients-get-a-name-and-no-logo
                  default: {client_name: "Partner application"}
                  drop: [logo_uri]
                - name: updates-keep-the-client-uri
                  when:
                    operation: {equals: update}
                  override: {client_uri: "https://partner.example/updated"}
            users:
              - {username: alice, password: alice-password-1}
            """;

    static final String CODE = "\"redirect_uris\":[\"https://app.partner.example/cb\"]";
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

    private Response explain(String body) {
        Response r = http.postJson("/admin/explain", http.adminToken(), body);
        assertEquals(200, r.status(), r.body());
        assertEquals("no-store", r.header("Cache-Control"));
        return r;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> step(Response r, String name) {
        return ((List<Map<String, Object>>) r.json().get("steps")).stream().filter(s -> name.equals(s.get("step"))).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + name + " in " + r.body()));
    }

    @SuppressWarnings("unchecked")
    static List<String> stepNames(Response r) {
        return ((List<Map<String, Object>>) r.json().get("steps")).stream().map(s -> (String) s.get("step")).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> changed(Map<String, Object> step, String member) {
        Map<String, Object> changes = (Map<String, Object>) step.get("changed");
        assertNotNull(changes, () -> "no changes in " + step);
        return (Map<String, Object>) changes.get(member);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAcceptedRegistrationShowsEachStepWhatItChangedAndWhatWouldBeStored() {
        Response r = explain("{\"request\":{" + CODE + ",\"logo_uri\":\"https://partner.example/l.png\","
                + "\"token_endpoint_auth_method\":\"client_secret_basic\"},\"registrant\":{\"client\":\"initial-client\"}}");
        assertEquals("accepted", r.string("decision"), r.body());
        assertNull(r.json().get("error"));
        assertEquals(List.of("authorization", "software_statement", "template", "defaults", "overrides", "profile",
                "rule test-clients-are-refused", "rule initial-client-registrations-use-client-secret-post",
                "rule unnamed-clients-get-a-name-and-no-logo", "rule updates-keep-the-client-uri", "validation", "credentials", "store"),
                stepNames(r));
        assertEquals(Map.of("action", "added", "to", List.of("authorization_code")), changed(step(r, "defaults"), "grant_types"));
        assertEquals("not_applied", step(r, "profile").get("outcome"));
        assertEquals("not_applicable", step(r, "rule test-clients-are-refused").get("outcome"));
        assertEquals(Map.of("action", "changed", "from", "client_secret_basic", "to", "client_secret_post"),
                changed(step(r, "rule initial-client-registrations-use-client-secret-post"), "token_endpoint_auth_method"));
        Map<String, Object> named = step(r, "rule unnamed-clients-get-a-name-and-no-logo");
        assertEquals("changed", named.get("outcome"));
        assertEquals(Map.of("action", "added", "to", "Partner application"), changed(named, "client_name"));
        assertEquals(Map.of("action", "removed", "from", "https://partner.example/l.png"), changed(named, "logo_uri"));
        assertEquals("not_applicable", step(r, "rule updates-keep-the-client-uri").get("outcome"));
        assertEquals("passed", step(r, "validation").get("outcome"));
        assertEquals("not_issued", step(r, "credentials").get("outcome"));
        assertEquals(List.of("client_id", "client_secret", "registration_access_token"), step(r, "credentials").get("would_issue"));

        Map<String, Object> metadata = (Map<String, Object>) r.json().get("metadata");
        assertEquals("client_secret_post", metadata.get("token_endpoint_auth_method"));
        assertEquals("Partner application", metadata.get("client_name"));
        assertFalse(metadata.containsKey("logo_uri"));
        for (String issued : List.of("client_id", "client_secret", "registration_access_token", "registration_client_uri")) {
            assertFalse(metadata.containsKey(issued), issued);
            assertFalse(r.json().containsKey(issued), issued);
        }
    }

    @Test
    void aRuleThatRefusesIsTheLastStepAndNamesItsError() {
        Response r = explain("{\"operation\":\"register\",\"request\":{\"client_name\":\"My test app\"," + CC + "}}");
        assertEquals("refused", r.string("decision"));
        assertEquals(Map.of("error", "invalid_client_metadata", "error_description", "Test clients are not registered here"),
                r.json().get("error"));
        List<String> steps = stepNames(r);
        assertEquals("rule test-clients-are-refused", steps.getLast(), r.body());
        assertEquals("refused", step(r, "rule test-clients-are-refused").get("outcome"));
        assertEquals("invalid_client_metadata", step(r, "rule test-clients-are-refused").get("error"));
        assertFalse(steps.contains("validation"), "nothing runs after the refusal");
        assertNull(r.json().get("metadata"));
    }

    @Test
    void validationThatRefusesIsShownAtTheValidationStep() {
        // A public client may not use client_credentials: no rule minds, the validator refuses.
        Response r = explain("{\"request\":{\"client_name\":\"Sync\",\"token_endpoint_auth_method\":\"none\"," + CC + "}}");
        assertEquals("refused", r.string("decision"), r.body());
        assertEquals("validation", stepNames(r).getLast());
        assertEquals("invalid_client_metadata", step(r, "validation").get("error"));
        assertEquals("changed", step(r, "defaults").get("outcome"), "the steps before the refusal are shown as they ran");
        assertTrue(step(r, "validation").get("error_description").toString().contains("client_credentials"), r.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void nothingIsStoredIssuedOrUsedUp() {
        String oneUse = http.dcrToken();
        Response r = explain("{\"request\":{" + CODE + "},\"registrant\":{\"kind\":\"user_authenticates\",\"client\":\"initial-client\","
                + "\"user\":\"alice\"}}");
        assertEquals("accepted", r.string("decision"), r.body());
        assertEquals("alice", step(r, "authorization").get("user"));
        // No client was stored for alice, and the admin API shows none.
        Response clients = http.get("/admin/clients?user=alice", http.adminToken());
        assertEquals(200, clients.status(), clients.body());
        assertEquals(List.of(), clients.json().get("clients"));
        // A DCR token good for one registration still has it.
        Response reg = http.postJson("/register", oneUse, "{" + CODE + "}");
        assertEquals(201, reg.status(), reg.body());
        http.postJson("/register", oneUse, "{" + CODE + "}").assertError(401, "invalid_token");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUpdateRunsTheClientsOwnChainAndChangesNothing() {
        Map<String, Object> info = http.register("{\"client_name\":\"Inventory sync\"," + CC + "}").json();
        String clientId = (String) info.get("client_id");
        String rat = (String) info.get("registration_access_token");

        Response refused = explain("{\"operation\":\"update\",\"client_id\":\"" + clientId + "\",\"request\":{\"client_name\":\"Test\"," + CC + "}}");
        assertEquals("refused", refused.string("decision"), refused.body());
        assertEquals("rule test-clients-are-refused", stepNames(refused).getLast());

        Response r = explain("{\"operation\":\"update\",\"client_id\":\"" + clientId + "\",\"request\":{\"client_name\":\"Renamed\"," + CC + "}}");
        assertEquals("accepted", r.string("decision"), r.body());
        assertEquals("found", step(r, "client").get("outcome"));
        assertEquals(Map.of("action", "added", "to", "https://partner.example/updated"),
                changed(step(r, "rule updates-keep-the-client-uri"), "client_uri"));
        Map<String, Object> metadata = (Map<String, Object>) r.json().get("metadata");
        assertEquals("Renamed", metadata.get("client_name"));
        assertEquals("client_secret_post", metadata.get("token_endpoint_auth_method"), "the initial client's rule still applies");
        assertEquals(List.of("client_secret", "registration_access_token"), step(r, "credentials").get("would_issue"));

        // Unchanged, and its registration access token was not rotated.
        Response admin = http.get("/admin/clients/" + clientId, http.adminToken());
        assertEquals("Inventory sync", admin.string("client_name"));
        Response read = http.get((String) info.get("registration_client_uri"), rat);
        assertEquals(200, read.status(), read.body());
        assertEquals("Inventory sync", read.string("client_name"));
    }

    @Test
    void anUnknownClientOrAMalformedExplainRequestIsAnInvalidRequest() {
        String admin = http.adminToken();
        http.postJson("/admin/explain", admin, "{\"operation\":\"update\",\"client_id\":\"nope\",\"request\":{}}")
                .assertError(400, "invalid_request");
        http.postJson("/admin/explain", admin, "{\"operation\":\"delete\",\"request\":{}}").assertError(400, "invalid_request");
        http.postJson("/admin/explain", admin, "{\"operation\":\"register\"}").assertError(400, "invalid_request");
        http.postJson("/admin/explain", admin, "{\"request\":{},\"registrant\":{\"kind\":\"wizard\"}}").assertError(400, "invalid_request");
        http.postJson("/admin/explain", admin, "{\"request\":{},\"registrant\":{\"certificate\":\"not a pem\"}}")
                .assertError(400, "invalid_request");
        http.postJson("/admin/explain", admin, "[1]").assertError(400, "invalid_request");
    }

    @Test
    void aWayNotEnabledIsTheAuthorizationStepsRefusal() {
        Response r = explain("{\"request\":{" + CODE + "},\"registrant\":{\"kind\":\"mutual_tls\"}}");
        assertEquals("refused", r.string("decision"), r.body());
        assertEquals(List.of("authorization"), stepNames(r));
        assertTrue(step(r, "authorization").get("error_description").toString().contains("mutual_tls"), r.body());
    }

    @Test
    void withoutAnAdminTokenExplainIsRefused() {
        String body = "{\"request\":{" + CODE + "}}";
        Response none = http.postJson("/admin/explain", null, body);
        assertEquals(401, none.status(), none.body());
        assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"), "RFC 6750 §3.1: no token, no error code");
        http.postJson("/admin/explain", "not-a-token", body).assertError(401, "invalid_token");
        http.postJson("/admin/explain", http.dcrToken(), body).assertError(403, "insufficient_scope");
    }

    @Test
    void aSecurityProfileThatRefusesIsNamedInTheTrace() {
        try (TestServer fapi = TestServer.start(database(), "registration:\n  profile: fapi2\n")) {
            Response r = fapi.http.postJson("/admin/explain", fapi.http.adminToken(),
                    "{\"request\":{" + CODE + ",\"token_endpoint_auth_method\":\"client_secret_basic\"}}");
            assertEquals(200, r.status(), r.body());
            assertEquals("refused", r.string("decision"), r.body());
            assertEquals("profile fapi2", stepNames(r).getLast(), r.body());
            assertEquals("invalid_client_metadata", step(r, "profile fapi2").get("error"));
            assertTrue(step(r, "profile fapi2").get("error_description").toString().contains("token_endpoint_auth_method"), r.body());

            // Left to the profile, the method is its own first choice, and the trace shows the change.
            Response chosen = fapi.http.postJson("/admin/explain", fapi.http.adminToken(), "{\"request\":{" + CODE + "}}");
            assertEquals(200, chosen.status(), chosen.body());
            Map<String, Object> profile = step(chosen, "profile fapi2");
            assertNotNull(changed(profile, "token_endpoint_auth_method"), chosen.body());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCertificateRegistrantIsVerifiedAsTheMutualTlsWayWouldAndItsSubjectFilledIn() throws Exception {
        TestPki pki = new TestPki();
        Path issuers = Files.createTempFile(TestDatabase.tempDir(), "registration-issuers-", ".pem");
        Files.writeString(issuers, TestPki.pem(pki.root.cert()) + TestPki.pem(pki.intermediate.cert()));
        String config = """
                server:
                  mtls:
                    enabled: true
                    port: 0
                    trustedIssuers: ["%s"]
                registration:
                  authorization: [client_authenticates, mutual_tls]
                  mutualTls:
                    trustedIssuers: ["%s"]
                """.formatted(pki.trustedIssuersFile(false), issuers);
        String request = "{\"client_name\":\"TPP\",\"grant_types\":[\"client_credentials\"],\"scope\":\"api\","
                + "\"token_endpoint_auth_method\":\"tls_client_auth\"}";
        try (TestServer mtls = TestServer.start(database(), config)) {
            String admin = mtls.http.adminToken();
            TestPki.Issued tpp = pki.client("CN=tpp-1,O=Third Party Ltd,C=GB", pki.intermediate);
            Response r = mtls.http.postJson("/admin/explain", admin, "{\"request\":" + request + ",\"registrant\":{\"kind\":\"mutual_tls\","
                    + "\"certificate\":" + JSONValue.toJSONString(tpp.pem()) + "}}");
            assertEquals(200, r.status(), r.body());
            assertEquals("accepted", r.string("decision"), r.body());
            String subject = tpp.cert().getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
            assertEquals(subject, step(r, "authorization").get("certificate_subject"));
            assertEquals(Map.of("action", "added", "to", subject), changed(step(r, "certificate subject"), "tls_client_auth_subject_dn"));
            assertEquals(subject, ((Map<String, Object>) r.json().get("metadata")).get("tls_client_auth_subject_dn"));

            // A certificate from a CA with the trusted issuer's name but not its key is refused as a real registration is.
            TestPki.Issued impostor = pki.client("CN=tpp-1,O=Third Party Ltd,C=GB", pki.untrustedRoot);
            Response refused = mtls.http.postJson("/admin/explain", admin, "{\"request\":" + request + ",\"registrant\":{\"kind\":"
                    + "\"mutual_tls\",\"certificate\":" + JSONValue.toJSONString(impostor.pem()) + "}}");
            assertEquals("refused", refused.string("decision"), refused.body());
            assertEquals(List.of("authorization"), stepNames(refused));
            assertEquals("invalid_token", step(refused, "authorization").get("error"));

            Response noCertificate = mtls.http.postJson("/admin/explain", admin, "{\"request\":" + request
                    + ",\"registrant\":{\"kind\":\"mutual_tls\"}}");
            assertEquals("refused", noCertificate.string("decision"), noCertificate.body());
            assertEquals("invalid_request", step(noCertificate, "authorization").get("error"));
        }
    }
}
