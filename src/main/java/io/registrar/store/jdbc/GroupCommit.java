package io.registrar.store.jdbc;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.db.Store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;

/**
 * Group commit for the embedded database. H2 never forces its file to the device on its own (MVStore
 * syncs only at a clean close), so a commit it has answered could still be lost with the machine's
 * power; and storing a commit to the file costs about as much as the rest of a registration. One
 * writer thread ({@link Batcher}) takes whatever write transactions are waiting, runs each under its
 * own savepoint — so one unit's failure or {@link Jdbc.Rollback} undoes only that unit —, commits
 * them together and then stores and syncs the file ({@link #sync}: fsync), so one store and one flush
 * serve the whole batch as PostgreSQL's WAL flush serves its concurrent commits. Every caller still
 * gets its own result, and only after the sync that made its write durable.
 */
final class GroupCommit implements AutoCloseable {

    /** Upper bound per commit, so one batch never holds the writer for long. */
    private static final int MAX_BATCH = 64;

    /** A write transaction, and whether its caller waits for the sync or only for the commit. */
    private record Unit(Jdbc.Work<?> work, boolean synced) {
    }

    private final Database db;
    private final Batcher<Unit> batcher;

    GroupCommit(Database db) {
        this.db = db;
        this.batcher = new Batcher<>("registrar-group-commit", MAX_BATCH, this::runBatch);
    }

    /** Runs {@code work} in the next group transaction and returns its result once committed and synced. */
    <T> T write(Jdbc.Work<T> work) {
        return submit(work, true);
    }

    /**
     * The same, but a batch of nothing else commits without the store and sync (access tokens under
     * storage.accessTokenCommit: asynchronous). The commit is visible to every connection at once;
     * H2's background writer stores it within its WRITE_DELAY (100 ms by default), so a crash of the
     * process or the machine can forget the last moments of such writes, as PostgreSQL's asynchronous
     * commit can.
     */
    <T> T writeUnsynced(Jdbc.Work<T> work) {
        return submit(work, false);
    }

    @SuppressWarnings("unchecked")
    private <T> T submit(Jdbc.Work<T> work, boolean synced) {
        return (T) batcher.submit(new Unit(work, synced));
    }

    private void runBatch(List<Unit> units, Object[] results, RuntimeException[] failures) {
        try (Connection c = db.connection()) {
            try {
                boolean synced = false;
                for (int i = 0; i < units.size(); i++) {
                    synced |= units.get(i).synced();
                    Savepoint savepoint = c.setSavepoint();
                    try {
                        results[i] = units.get(i).work().run(c);
                        c.releaseSavepoint(savepoint);
                    } catch (Jdbc.Rollback rollback) {
                        c.rollback(savepoint);
                        failures[i] = rollback;
                    } catch (SQLException e) {
                        c.rollback(savepoint);
                        failures[i] = Jdbc.storeError(e);
                    } catch (RuntimeException e) {
                        c.rollback(savepoint);
                        failures[i] = e;
                    }
                }
                c.commit();
                if (synced) {
                    sync(c);
                }
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw Jdbc.storeError(e);
        }
    }

    /**
     * Makes every commit so far durable: writes to H2's file what is not written yet, waits for any
     * write H2 itself has under way, and forces the file to the device. Should that fail, the batch's
     * callers are told their writes failed: they are committed but may not survive a power loss, and
     * a 201 promises that they do.
     *
     * <p>With WRITE_DELAY above 0 a commit only reaches H2's memory, and H2's background writer
     * stores it later, serialising and writing the chunk on threads of its own. {@code CHECKPOINT
     * SYNC} alone is not enough then: if that background store has already taken this batch's
     * changes, the checkpoint finds nothing left to store and forces the file before the chunk is
     * in it. {@code FileStore.executeFileStoreOperation} runs the force only after every chunk
     * write queued before it has finished. That needs H2's engine objects, which an embedded
     * database has; a server-mode H2 (jdbc:h2:tcp:) gets {@code CHECKPOINT SYNC} and its own
     * WRITE_DELAY setting decides.
     */
    static void sync(Connection c) throws SQLException {
        Store store = embeddedStore(c);
        if (store == null) {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
            return;
        }
        store.flush();
        FileStore<?> file = store.getMvStore().getFileStore();
        if (file != null) {
            file.executeFileStoreOperation(file::sync);
        }
    }

    /** H2's store behind {@code c} when the database runs in this process, else null. */
    private static Store embeddedStore(Connection c) throws SQLException {
        if (c.isWrapperFor(JdbcConnection.class)
                && c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
            return session.getDatabase().getStore();
        }
        return null;
    }

    @Override
    public void close() {
        batcher.close();
    }
}
