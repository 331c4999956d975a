package io.registrar.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;

/**
 * Group commit for the embedded database. H2 writes its store to the file on every commit
 * (WRITE_DELAY=0), and that write costs about as much as the rest of a registration; but it never
 * forces the file to the device on its own (MVStore syncs only at a clean close), so a commit it has
 * answered could still be lost with the machine's power. One writer thread ({@link Batcher}) takes
 * whatever write transactions are waiting, runs each under its own savepoint — so one unit's failure
 * or {@link Jdbc.Rollback} undoes only that unit —, commits them together and then syncs the file
 * ({@code CHECKPOINT SYNC}: fsync), so one flush serves the whole batch as PostgreSQL's WAL flush
 * serves its concurrent commits. Every caller still gets its own result, and only after the sync that
 * made its write durable.
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
     * The same, but a batch of nothing else commits without the sync (access tokens under
     * storage.accessTokenCommit: asynchronous). The commit still reaches the file before the caller is
     * answered, so only a crash of the machine, not of the process, can lose it.
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
     * Forces H2's file to the device. Should that fail, the batch's callers are told their writes
     * failed: they are committed but may not survive a power loss, and a 201 promises that they do.
     */
    static void sync(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        }
    }

    @Override
    public void close() {
        batcher.close();
    }
}
