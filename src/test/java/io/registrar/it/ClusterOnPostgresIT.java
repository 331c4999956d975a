package io.registrar.it;

import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            assertEquals(503, server.http.get("/health/ready", null).status());
            assertEquals(200, server.http.get("/health/live", null).status());
            // A request that needs the database fails cleanly, as a JSON server_error.
            server.http.clientCredentialsToken(TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET).assertError(500, "server_error");
        }
    }
}
