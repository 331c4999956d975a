package io.registrar.store.jdbc;

import io.registrar.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for the embedded database. H2 writes its store to the file on every commit
 * (WRITE_DELAY=0, so an answered 201 survives a crash of the process), and that write costs about as
 * much as the rest of a registration. One writer thread takes whatever write transactions are
 * waiting, runs each under its own savepoint — so one unit's failure or {@link Jdbc.Rollback} undoes
 * only that unit — and commits them together. Every caller still gets its own result, and only after
 * the commit that made its write durable. PostgreSQL needs none of this: it already flushes
 * concurrent commits' WAL together.
 */
final class GroupCommit implements AutoCloseable {

    /** Upper bound per commit, so one batch never holds the writer for long. */
    private static final int MAX_BATCH = 64;
    private static final long WRITE_TIMEOUT_SECONDS = 30;

    private record Task<T>(Jdbc.Work<T> work, CompletableFuture<T> result) {
        @SuppressWarnings("unchecked")
        void complete(Object value) {
            result.complete((T) value);
        }
    }

    private final Database db;
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    GroupCommit(Database db) {
        this.db = db;
        this.writer = Thread.ofPlatform().name("registrar-group-commit").daemon(true).start(this::loop);
    }

    /** Runs {@code work} in the next group transaction and returns its result once committed. */
    <T> T write(Jdbc.Work<T> work) {
        if (!running) {
            throw new StoreException("the database is closing", null);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        queue.add(new Task<>(work, result));
        try {
            // Bounded: a write queued just as the writer stopped must fail, not wait forever.
            return result.orTimeout(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
                throw new StoreException("write not committed within " + WRITE_TIMEOUT_SECONDS + " s", e.getCause());
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new StoreException("write failed", e.getCause());
        }
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Task<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                // Stop taking work: with the writer gone, new writes must fail at once, not queue forever.
                running = false;
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                for (Task<?> task : batch) {
                    task.result().completeExceptionally(t);
                }
            } finally {
                batch.clear();
            }
        }
        // Anything still queued after an interrupt must not wait forever.
        Task<?> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new StoreException("the database is closing", null));
        }
    }

    private void runBatch(List<Task<?>> batch) {
        Object[] results = new Object[batch.size()];
        RuntimeException[] failures = new RuntimeException[batch.size()];
        try (Connection c = db.connection()) {
            try {
                for (int i = 0; i < batch.size(); i++) {
                    Savepoint savepoint = c.setSavepoint();
                    try {
                        results[i] = batch.get(i).work().run(c);
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
            StoreException failure = Jdbc.storeError(e);
            batch.forEach(t -> t.result().completeExceptionally(failure));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failures[i] != null) {
                batch.get(i).result().completeExceptionally(failures[i]);
            } else {
                batch.get(i).complete(results[i]);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
