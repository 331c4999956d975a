package io.registrar.store;

import io.registrar.config.RegistrarConfig;
import io.registrar.store.jdbc.Database;
import io.registrar.store.jdbc.JdbcTokenStore;
import io.registrar.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * storage.accessTokenCommit on PostgreSQL: either way the token is stored, and the relaxed commit of
 * an access token stays with that one transaction. If it leaked into the pooled connection, the next
 * registration on it would be answered before its WAL flush.
 */
class AccessTokenCommitTest {

    @ParameterizedTest
    @ValueSource(strings = {"asynchronous", "synchronous"})
    void aLoneAccessTokenIsStoredAndItsConnectionStaysSynchronous(String commit) throws Exception {
        String storage = TestDatabase.POSTGRES.newStorageYaml(TestDatabase.tempDir())
                // The test server runs with synchronous_commit off; these connections start with it on.
                .replaceFirst("(jdbcUrl: \"[^\"]*)\"", "$1&options=-c%20synchronous_commit%3Don\"")
                // The smallest pool, so the check below covers the connection that inserted the tokens.
                + "  maxPoolSize: 2\n  accessTokenCommit: " + commit + "\n";
        RegistrarConfig.Storage settings = TestDatabase.storage(storage);
        assertEquals("asynchronous".equals(commit), settings.asynchronousAccessTokenCommit());
        try (Database db = Database.open(settings)) {
            JdbcTokenStore tokens = new JdbcTokenStore(db, settings.asynchronousAccessTokenCommit());
            Instant now = Instant.now();
            for (int i = 0; i < 3; i++) {
                tokens.insert(new AccessToken("token-" + i, "c", false, List.of("api"), null, now, now.plus(Duration.ofHours(1)),
                        null, null, true, null));
            }
            assertTrue(tokens.find("token-2").isPresent());
            try (Connection a = db.connection(); Connection b = db.connection()) {
                for (Connection c : List.of(a, b)) {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
                        assertTrue(rs.next());
                        assertEquals("on", rs.getString(1));
                    }
                }
            }
        }
    }
}
