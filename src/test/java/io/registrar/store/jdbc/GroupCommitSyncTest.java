package io.registrar.store.jdbc;

import io.registrar.config.RegistrarConfig;
import io.registrar.support.SyncCountingFilePath;
import io.registrar.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With WRITE_DELAY above 0 (the embedded default) a commit reaches H2's memory and H2's background
 * writer stores it later, writing the chunk on a thread of its own ("H2-save"). The group commit's
 * sync must not force the file while such a write is still under way: the changes it carries may be
 * the very ones the batch's callers are about to be told are durable.
 */
class GroupCommitSyncTest {

    @Test
    void theSyncWaitsForTheChunkH2sBackgroundWriterIsStillWriting() throws Exception {
        Path dir = TestDatabase.tempDir();
        // The embedded default's settings, on the file system that can hold H2's writes.
        String url = SyncCountingFilePath.jdbcUrl(dir.resolve("registrar")) + Database.EMBEDDED_SETTINGS;
        RegistrarConfig.Storage storage = TestDatabase.storage("storage:\n  dataDir: \"" + dir + "\"\n  jdbcUrl: \"" + url + "\"\n");
        try (Database db = Database.open(storage)) {
            CountDownLatch writing = new CountDownLatch(1);
            SyncCountingFilePath.holdWritesOf("H2-save", 1_000, writing);
            try {
                try (Connection c = db.connection();
                     PreparedStatement ps = c.prepareStatement("INSERT INTO server_state (name, state_value, created_at) "
                             + "VALUES ('group-commit-sync-test', 'v', CURRENT_TIMESTAMP)")) {
                    ps.executeUpdate();
                    c.commit();
                }
                // The background writer has taken the commit and is writing it: nothing is left unstored.
                assertTrue(writing.await(10, TimeUnit.SECONDS), "H2's background writer never stored the commit");
                int before = SyncCountingFilePath.syncsDuringWrite();
                int syncs = SyncCountingFilePath.syncs();
                try (Connection c = db.connection()) {
                    GroupCommit.sync(c);
                }
                assertTrue(SyncCountingFilePath.syncs() > syncs, "the sync did not force the file");
                assertEquals(before, SyncCountingFilePath.syncsDuringWrite(),
                        "the file was forced while H2 was still writing the committed chunk");
            } finally {
                SyncCountingFilePath.holdWritesOf(null, 0, null);
            }
        }
    }
}
