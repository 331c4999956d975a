package io.registrar.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

/**
 * Group commit for the embedded database. H2 writes its store to the file on every commit
 * (WRITE_DELAY=0, so an answered 201 survives a crash of the process), and that write costs about as
 * much as the rest of a registration. One writer thread ({@link Batcher}) takes whatever write
 * transactions are waiting, runs each under its own savepoint — so one unit's failure or
 * {@link Jdbc.Rollback} undoes only that unit — and commits them together. Every caller still gets
 * its own result, and only after the commit that made its write durable. PostgreSQL needs none of
 * this: it already flushes concurrent commits' WAL together.
 */
final class GroupCommit implements AutoCloseable {

    /** Upper bound per commit, so one batch never holds the writer for long. */
    private static final int MAX_BATCH = 64;

    private final Database db;
    private final Batcher<Jdbc.Work<?>> batcher;

    GroupCommit(Database db) {
        this.db = db;
        this.batcher = new Batcher<>("registrar-group-commit", MAX_BATCH, this::runBatch);
    }

    /** Runs {@code work} in the next group transaction and returns its result once committed. */
    @SuppressWarnings("unchecked")
    <T> T write(Jdbc.Work<T> work) {
        return (T) batcher.submit(work);
    }

    private void runBatch(List<Jdbc.Work<?>> works, Object[] results, RuntimeException[] failures) {
        try (Connection c = db.connection()) {
            try {
                for (int i = 0; i < works.size(); i++) {
                    Savepoint savepoint = c.setSavepoint();
                    try {
                        results[i] = works.get(i).run(c);
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
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw Jdbc.storeError(e);
        }
    }

    @Override
    public void close() {
        batcher.close();
    }
}
