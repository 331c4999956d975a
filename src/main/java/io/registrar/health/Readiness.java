package io.registrar.health;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Whether this node can serve, kept by a background check of the database so that a probe is
 * answered at once from memory: a load balancer's probe gives up after a second or two, and a hung
 * database would otherwise hold the probe for as long as the pool and driver wait. A check that has
 * been running longer than {@code patience} counts as a failed one, so a hang is reported while it
 * lasts rather than when it ends.
 */
public final class Readiness implements AutoCloseable {

    /** The verdict, and why when it is not ready. */
    public record Status(boolean ready, String reason) {
        public static final Status READY = new Status(true, null);

        public static Status notReady(String reason) {
            return new Status(false, reason);
        }
    }

    private final BooleanSupplier databaseAnswers;
    private final long patienceNanos;
    private final ScheduledExecutorService checks;
    private volatile boolean lastAnswered;
    /** When the check in progress started (System.nanoTime), or 0 when none is. */
    private volatile long checkStarted;

    private Readiness(BooleanSupplier databaseAnswers, Duration patience) {
        this.databaseAnswers = databaseAnswers;
        this.patienceNanos = patience.toNanos();
        this.checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registrar-readiness");
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks once now, then every {@code interval}. */
    public static Readiness start(BooleanSupplier databaseAnswers, Duration interval, Duration patience) {
        Readiness r = new Readiness(databaseAnswers, patience);
        r.check();
        r.checks.scheduleWithFixedDelay(r::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return r;
    }

    private void check() {
        checkStarted = System.nanoTime();
        boolean answered = false;
        try {
            answered = databaseAnswers.getAsBoolean();
        } catch (Throwable e) {
            // Whatever the check throws, the schedule must go on: a task that throws is never run again.
        } finally {
            lastAnswered = answered;
            checkStarted = 0;
        }
    }

    public Status status() {
        long started = checkStarted;
        if (started != 0) {
            long waited = System.nanoTime() - started;
            if (waited > patienceNanos) {
                return Status.notReady("the database has not answered for " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms");
            }
        }
        return lastAnswered ? Status.READY : Status.notReady("the database does not answer");
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
