package io.registrar.it;

import io.registrar.support.CookieBrowser;
import io.registrar.support.MobileApp;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** No state lives in one process: two nodes on one PostgreSQL database serve each other's clients. */
class ClusterOnPostgresIT {

    @Test
    void registerOnOneNodeManageAndGetTokensOnTheOther() {
        String storage = TestDatabase.POSTGRES.newStorageYaml(TestDatabase.tempDir());
        try (TestServer a = TestServer.start(storage); TestServer b = TestServer.start(storage)) {
            // Both nodes publish the same signing keys, generated once and kept in the database.
            assertEquals(a.http.get("/jwks", null).body(), b.http.get("/jwks", null).body());

            // A DCR token from node B registers on node A.
            String dcr = b.http.dcrToken();
            TestHttp.Response reg = a.http.postJson("/register", dcr, DcrFlowTests.CC_CLIENT);
            assertEquals(201, reg.status(), reg.body());
            String clientId = reg.string("client_id");
            String path = "/register/" + clientId;

            // Node B reads it (rotating), node A sees the rotation at once.
            TestHttp.Response read = b.http.get(path, reg.string("registration_access_token"));
            assertEquals(200, read.status(), read.body());
            a.http.get(path, reg.string("registration_access_token")).assertError(401, "invalid_token");
            assertNotEquals(reg.string("client_secret"), read.string("client_secret"));

            // The rotated secret works on node A; the token it gets introspects on node B.
            TestHttp.Response token = a.http.clientCredentialsToken(clientId, read.string("client_secret"));
            assertEquals(200, token.status(), token.body());
            TestHttp.Response introspection = b.http.introspect(token.string("access_token"));
            assertEquals(true, introspection.json().get("active"));

            // Deleted on B, gone on A.
            assertEquals(204, b.http.delete(path, read.string("registration_access_token")).status());
            a.http.clientCredentialsToken(clientId, read.string("client_secret")).assertError(401, "invalid_client");
        }
    }

    @Test
    void aClientAssertionReplayedOnTheOtherNodeIsRefused() throws Exception {
        com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
                .keyID("k").generate();
        String storage = TestDatabase.POSTGRES.newStorageYaml(TestDatabase.tempDir());
        // One issuer for the cluster, as behind a load balancer: both nodes accept the same aud.
        String issuer = "issuer: http://registrar.cluster.test\n";
        try (TestServer a = TestServer.start(storage, issuer); TestServer b = TestServer.start(storage, issuer)) {
            TestHttp.Response reg = a.http.register("""
                    {"token_endpoint_auth_method": "private_key_jwt", "jwks": %s,
                     "grant_types": ["client_credentials"], "response_types": []}""".formatted(
                    new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK())));
            String clientId = reg.string("client_id");
            String assertion = io.registrar.support.Assertions.signedBy(key, clientId, "http://registrar.cluster.test/token").jwt();
            assertEquals(200, a.http.postForm("/token", io.registrar.support.Assertions.tokenForm(assertion)).status());
            TestHttp.Response replay = b.http.postForm("/token", io.registrar.support.Assertions.tokenForm(assertion))
                    .assertError(401, "invalid_client");
            org.junit.jupiter.api.Assertions.assertTrue(replay.string("error_description").contains("jti"), replay.body());
            // A fresh assertion works on node B: the refusal above was the replay, nothing else.
            String fresh = io.registrar.support.Assertions.signedBy(key, clientId, "http://registrar.cluster.test/token").jwt();
            assertEquals(200, b.http.postForm("/token", io.registrar.support.Assertions.tokenForm(fresh)).status());
        }
    }

    @Test
    void readinessFailsWhileTheDatabaseIsUnreachable() throws Exception {
        String storage = TestDatabase.POSTGRES.newStorageYaml(TestDatabase.tempDir());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("registrar_test_\\d+").matcher(storage);
        assertEquals(true, m.find());
        String db = m.group();
        try (TestServer server = TestServer.start(storage)) {
            assertEquals(200, server.http.get("/health/ready", null).status());
            try (Connection c = TestDatabase.server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE " + db + " WITH (FORCE)");
            }
            // The background check notices within its interval (1 s) and the probe says why.
            TestHttp.Response ready = server.http.get("/health/ready", null);
            for (int attempt = 0; attempt < 50 && ready.status() == 200; attempt++) {
                Thread.sleep(100);
                ready = server.http.get("/health/ready", null);
            }
            assertEquals(503, ready.status(), ready.body());
            assertTrue(ready.string("reason").contains("database"), ready.body());
            assertEquals(200, server.http.get("/health/live", null).status());
            // A request that needs the database fails cleanly, as a JSON server_error.
            server.http.clientCredentialsToken(TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET).assertError(500, "server_error");
        }
    }

    /**
     * Issue 3 on a cluster: the SSO session, the authorization code and the refresh token family live in
     * the database, so a user who signed in on one node is known on the other, and a refresh token
     * replayed on another node still revokes the family.
     */
    @Test
    void signInOnOneNodeIsSingleSignOnForTheOther() {
        String storage = TestDatabase.POSTGRES.newStorageYaml(TestDatabase.tempDir());
        try (TestServer a = TestServer.start(storage, TestServer.MOBILE); TestServer b = TestServer.start(storage, TestServer.MOBILE)) {
            CookieBrowser onA = new CookieBrowser(a.http);
            MobileApp registration = new MobileApp(TestServer.MOBILE_DCR_CLIENT, "http://127.0.0.1/callback");
            String code = CookieBrowser.redirectParams(onA.signIn(onA.get(registration.authorizePath("dcr")), "alice",
                    "alice-password-1")).get("code");
            TestHttp.Response dcr = b.http.postForm("/token", registration.codeForm(code, true));
            assertEquals(200, dcr.status(), dcr.body());
            TestHttp.Response reg = b.http.postJson("/register", dcr.string("access_token"),
                    "{\"software_id\":\"" + TestServer.TEMPLATE + "\"}");
            assertEquals(201, reg.status(), reg.body());

            // Node B knows the session that node A opened: no password.
            MobileApp instance = new MobileApp(reg.string("client_id"), "http://127.0.0.1/callback");
            String silent = CookieBrowser.redirectParams(onA.on(b.http).get(instance.authorizePath("openid"))).get("code");
            TestHttp.Response tokens = a.http.postFormBasic("/token", instance.clientId, reg.string("client_secret"),
                    instance.codeForm(silent, false));
            assertEquals(200, tokens.status(), tokens.body());
            java.util.Map<String, String> refresh = java.util.Map.of("grant_type", "refresh_token",
                    "refresh_token", tokens.string("refresh_token"));
            assertEquals(200, b.http.postFormBasic("/token", instance.clientId, reg.string("client_secret"), refresh).status());
            a.http.postFormBasic("/token", instance.clientId, reg.string("client_secret"), refresh).assertError(400, "invalid_grant");
            assertEquals(false, b.http.introspect(tokens.string("access_token")).json().get("active"));
        }
    }
}
