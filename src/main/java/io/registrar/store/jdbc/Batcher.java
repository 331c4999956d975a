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
     * A lost or unobtainable connection is no item's fault: it fails the batch at once, rather than
     * making the last item wait for the database to time out once per item before it.
     */
    static <I> void oneStatementOrEachAlone(List<I> items, Object[] results, RuntimeException[] failures, Statement<I> statement) {
        try {
            copy(statement.write(items), results, 0);
        } catch (StoreException batchFailure) {
            if (items.size() == 1 || Jdbc.isConnectionFailure(batchFailure)) {
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

    private record Task<I>(I item, CompletableFuture<Object> result) {
    }

    private final int maxBatch;
    private final Runner<I> runner;
    private final BlockingQueue<Task<I>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;
    /** Set by the writer once it takes no more items; see {@link #submit}. */
    private volatile boolean stopped;
    /** Queued by {@link #close} so that a writer waiting for work sees at once that it is to stop. */
    private final Task<I> wakeUp = new Task<>(null, new CompletableFuture<>());

    /** @param maxBatch upper bound per batch, so one batch never holds the writer for long */
    Batcher(String threadName, int maxBatch, Runner<I> runner) {
        this.maxBatch = maxBatch;
        this.runner = runner;
        this.writer = Thread.ofPlatform().name(threadName).daemon(true).start(this::loop);
    }

    /**
     * Queues {@code item} for the next batch and returns its result once that batch has run. The wait
     * has no timer of its own (a per-request timeout cost a timer task scheduled and cancelled on
     * another thread for every write); an item can still never wait forever, because either the
     * writer takes it or it is failed: when it stops, the writer sets {@link #stopped} and then fails
     * whatever is queued, so an item queued before the flag was set is failed by the writer, and one
     * that finds the flag set is taken back here (or, if the writer's last sweep got it first, failed
     * by that sweep).
     */
    Object submit(I item) {
        if (!running) {
            throw closing();
        }
        Task<I> task = new Task<>(item, new CompletableFuture<>());
        queue.add(task);
        if (stopped && queue.remove(task)) {
            throw closing();
        }
        try {
            return task.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new StoreException("write failed", e.getCause());
        }
    }

    private static StoreException closing() {
        return new StoreException("the database is closing", null);
    }

    private void loop() {
        List<Task<I>> batch = new ArrayList<>(maxBatch);
        List<I> items = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Task<I> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null || first == wakeUp) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (!running) {
                    // Only close() queues the wake-up, after clearing running: no scan while open.
                    batch.remove(wakeUp);
                }
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
        // Anything still queued (after an interrupt, or racing with close) must not wait forever.
        stopped = true;
        failQueued();
    }

    private void failQueued() {
        Task<I> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(closing());
        }
    }

    @Override
    public void close() {
        running = false;
        queue.add(wakeUp);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
