package io.registrar.store.jdbc;

import io.registrar.store.StoreException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The writer thread behind H2's group commit and PostgreSQL's batched INSERTs: every caller gets its
 * own item's result or failure, and no caller waits forever, even one that queues its item just as
 * the batcher closes (the wait has no timer of its own).
 */
class BatcherTest {

    @Test
    void eachCallerGetsItsOwnResultOrFailure() throws Exception {
        Batcher<Integer> batcher = new Batcher<>("test-batcher", 8, (items, results, failures) -> {
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) % 5 == 0) {
                    failures[i] = new StoreException("item " + items.get(i), null);
                } else {
                    results[i] = items.get(i) * 10;
                }
            }
        });
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object>> calls = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                int item = i;
                calls.add(pool.submit(() -> batcher.submit(item)));
            }
            for (int i = 1; i <= 100; i++) {
                try {
                    Object result = calls.get(i - 1).get(10, TimeUnit.SECONDS);
                    if (i % 5 == 0) {
                        fail("item " + i + " should have failed, got " + result);
                    }
                    assertEquals(i * 10, result);
                } catch (ExecutionException e) {
                    if (i % 5 != 0) {
                        throw e;
                    }
                    assertEquals("item " + i, e.getCause().getMessage());
                }
            }
        } finally {
            batcher.close();
        }
    }

    @Test
    void submittingAfterCloseFailsAtOnce() {
        Batcher<Integer> batcher = new Batcher<>("test-batcher", 8, (items, results, failures) -> { });
        batcher.close();
        StoreException e = assertThrows(StoreException.class, () -> batcher.submit(1));
        assertEquals("the database is closing", e.getMessage());
    }

    /**
     * Callers racing with close: each gets its result or "closing", none hangs. An item that passes the
     * open check just before the writer stops is the case this guards; it is a narrow window, so the
     * race runs many times.
     */
    @Test
    void callersRacingWithCloseNeverWaitForever() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Batcher<Integer> batcher = new Batcher<>("test-batcher", 4, (items, results, failures) -> {
                for (int i = 0; i < items.size(); i++) {
                    results[i] = items.get(i);
                }
            });
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> callers = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    callers.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 200; i++) {
                            try {
                                assertEquals(i, batcher.submit(i));
                            } catch (StoreException e) {
                                assertEquals("the database is closing", e.getMessage());
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                batcher.close();
                for (Future<?> caller : callers) {
                    try {
                        caller.get(5, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        fail("round " + round + ": a caller was still waiting 5 s after close");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static final int ROUNDS = 2000;

    /**
     * How a failed batch statement is retried: an item's own fault (here a unique violation, SQLSTATE
     * 23505) fails only that item and the others are written alone; a lost connection (08006, as
     * pgjdbc reports its socketTimeout) or a pool that has none to give fails the batch after one try.
     */
    @Test
    void aFailedBatchIsRetriedItemByItemOnlyWhenAnItemMayBeAtFault() {
        record Case(java.sql.SQLException failure, int expectedWrites, boolean batchFails) {
        }
        List<Case> cases = List.of(
                new Case(new java.sql.SQLException("duplicate key", "23505"), 4, false),
                new Case(new java.sql.SQLException("An I/O error occurred while sending to the backend.", "08006"), 1, true),
                new Case(new java.sql.SQLTransientConnectionException("Connection is not available, request timed out"), 1, true));
        for (Case c : cases) {
            java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
            Batcher.Statement<Integer> statement = items -> {
                writes.incrementAndGet();
                if (items.contains(2)) {
                    throw new StoreException("write failed", c.failure());
                }
                return items.stream().map(i -> (Object) (i * 10)).toArray();
            };
            Object[] results = new Object[3];
            RuntimeException[] failures = new RuntimeException[3];
            if (c.batchFails()) {
                assertThrows(StoreException.class, () -> Batcher.oneStatementOrEachAlone(List.of(1, 2, 3), results, failures, statement));
            } else {
                Batcher.oneStatementOrEachAlone(List.of(1, 2, 3), results, failures, statement);
                assertEquals(List.of(10, 30), java.util.Arrays.asList(results[0], results[2]), c.toString());
                assertEquals(c.failure(), failures[1].getCause(), c.toString());
            }
            assertEquals(c.expectedWrites(), writes.get(), c.toString());
        }
    }
}
