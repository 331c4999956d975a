package io.registrar.store;

import io.registrar.config.RegistrarConfig;
import io.registrar.store.jdbc.Database;
import io.registrar.store.jdbc.JdbcServerStateStore;
import io.registrar.store.jdbc.JdbcTokenStore;
import io.registrar.support.SyncCountingFilePath;
import io.registrar.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * H2 writes each commit to its file but never forces it to the device by itself, so a 201 on the
 * embedded database is durable only because the group commit syncs before it answers. An access
 * token under storage.accessTokenCommit: asynchronous skips that sync, as it skips PostgreSQL's WAL
 * flush; synchronous waits for it.
 */
class H2SyncTest {

    @Test
    void aWriteReturnsOnlyAfterTheFileIsSyncedExceptAnAsynchronousAccessToken() {
        Path dir = TestDatabase.tempDir();
        try (Database db = Database.open(storage(dir))) {
            int before = SyncCountingFilePath.syncs();
            new JdbcServerStateStore(db).getOrCreate("h2-sync-test", () -> "value");
            assertTrue(SyncCountingFilePath.syncs() > before, "an ordinary write returned before the sync");

            before = SyncCountingFilePath.syncs();
            new JdbcTokenStore(db, false).insert(token("synchronous"));
            assertTrue(SyncCountingFilePath.syncs() > before, "a synchronous access token returned before the sync");

            before = SyncCountingFilePath.syncs();
            JdbcTokenStore asynchronous = new JdbcTokenStore(db, true);
            asynchronous.insert(token("asynchronous"));
            assertEquals(before, SyncCountingFilePath.syncs(), "an asynchronous access token waited for a sync");
            assertTrue(asynchronous.find("asynchronous").isPresent());
        }
    }

    private static RegistrarConfig.Storage storage(Path dir) {
        String yaml = "storage:\n  dataDir: \"" + dir + "\"\n  jdbcUrl: \"" + SyncCountingFilePath.jdbcUrl(dir.resolve("registrar")) + "\"\n";
        return TestDatabase.storage(yaml);
    }

    private static AccessToken token(String hash) {
        Instant now = Instant.now();
        return new AccessToken(hash, "c", false, List.of("api"), null, now, now.plus(Duration.ofHours(1)), null, null, true, null);
    }
}
