package io.registrar.store.jdbc;

import io.registrar.store.StoreException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One writer thread that takes whatever items concurrent callers have queued and hands them to a
 * {@link Runner} together, so that one database transaction (or one statement) serves many requests.
 * Each caller waits for, and gets, its own item's result or failure. Under light load a batch is a
 * single item and costs one thread hand-off; under load the batches grow by themselves.
 */
final class Batcher<I> implements AutoCloseable {

    /** Runs a batch. Fills {@code results[i]} or {@code failures[i]} per item; throws to fail them all. */
    @FunctionalInterface
    interface Runner<I> {
        void run(List<I> items, Object[] results, RuntimeException[] failures);
    }

    /** One statement that writes a whole batch (or a single item); returns each item's result, or null for none. */
    @FunctionalInterface
    interface Statement<I> {
        Object[] write(List<I> items);
    }

    /**
     * Runs {@code statement} once for the whole batch. Should it fail, each item is tried alone, so that
     * an item that cannot be stored fails only its own request and the others are stored as if unbatched.
     */
    static <I> void oneStatementOrEachAlone(List<I> items, Object[] results, RuntimeException[] failures, Statement<I> statement) {
        try {
            copy(statement.write(items), results, 0);
        } catch (StoreException batchFailure) {
            if (items.size() == 1) {
                throw batchFailure;
            }
            for (int i = 0; i < items.size(); i++) {
                try {
                    copy(statement.write(List.of(items.get(i))), results, i);
                } catch (StoreException e) {
                    failures[i] = e;
                }
            }
        }
    }

    private static void copy(Object[] from, Object[] results, int at) {
        if (from != null) {
            System.arraycopy(from, 0, results, at, from.length);
        }
    }

    private static final long SUBMIT_TIMEOUT_SECONDS = 30;

    private record Task<I>(I item, CompletableFuture<Object> result) {
    }

    private final int maxBatch;
    private final Runner<I> runner;
    private final BlockingQueue<Task<I>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    /** @param maxBatch upper bound per batch, so one batch never holds the writer for long */
    Batcher(String threadName, int maxBatch, Runner<I> runner) {
        this.maxBatch = maxBatch;
        this.runner = runner;
        this.writer = Thread.ofPlatform().name(threadName).daemon(true).start(this::loop);
    }

    /** Queues {@code item} for the next batch and returns its result once that batch has run. */
    Object submit(I item) {
        if (!running) {
            throw new StoreException("the database is closing", null);
        }
        CompletableFuture<Object> result = new CompletableFuture<>();
        queue.add(new Task<>(item, result));
        try {
            // Bounded: an item queued just as the writer stopped must fail, not wait forever.
            return result.orTimeout(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
                throw new StoreException("write not committed within " + SUBMIT_TIMEOUT_SECONDS + " s", e.getCause());
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
        List<Task<I>> batch = new ArrayList<>(maxBatch);
        List<I> items = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Task<I> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                batch.forEach(task -> items.add(task.item()));
                Object[] results = new Object[batch.size()];
                RuntimeException[] failures = new RuntimeException[batch.size()];
                runner.run(items, results, failures);
                for (int i = 0; i < batch.size(); i++) {
                    if (failures[i] != null) {
                        batch.get(i).result().completeExceptionally(failures[i]);
                    } else {
                        batch.get(i).result().complete(results[i]);
                    }
                }
            } catch (InterruptedException e) {
                // Stop taking work: with the writer gone, new items must fail at once, not queue forever.
                running = false;
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                for (Task<I> task : batch) {
                    task.result().completeExceptionally(t);
                }
            } finally {
                batch.clear();
                items.clear();
            }
        }
        // Anything still queued after an interrupt must not wait forever.
        Task<I> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new StoreException("the database is closing", null));
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
