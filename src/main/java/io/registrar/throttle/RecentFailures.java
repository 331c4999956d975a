package io.registrar.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's memory of which subjects failed within the last window: lets a hot path (the token
 * endpoint) skip the database counters of {@link GuessThrottle} for subjects that have not failed, so
 * a right secret costs no extra round trip. Per node: a subject that failed only on other nodes gets
 * its next attempt here unchecked, and is remembered from its first failure here. With more than
 * {@code capacity} subjects remembered, every subject counts as failed until some expire: the memory
 * stays bounded and no failure is forgotten, at the price of checking everyone for a while.
 */
public final class RecentFailures {

    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final Duration window;
    private final int capacity;
    private final Clock clock;
    private final Map<String, Instant> until = new ConcurrentHashMap<>();
    private volatile boolean full;
    private volatile Instant lastSweep = Instant.MIN;

    public RecentFailures(Duration window, int capacity, Clock clock) {
        this.window = window;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Remembers a failure of {@code subject} now, for one window. */
    public void failed(String subject) {
        if (until.size() >= capacity && !until.containsKey(subject) && !sweep()) {
            full = true;
            return;
        }
        until.put(subject, clock.instant().plus(window));
    }

    /** Whether {@code subject} failed on this node within the last window (always true while full). */
    public boolean failedRecently(String subject) {
        if (full && !sweep()) {
            return true;
        }
        Instant end = until.get(subject);
        if (end == null) {
            return false;
        }
        if (clock.instant().isBefore(end)) {
            return true;
        }
        until.remove(subject, end);
        return false;
    }

    /** Drops expired subjects, at most once per second; returns whether there is room. */
    private boolean sweep() {
        Instant now = clock.instant();
        if (now.isBefore(lastSweep.plus(SWEEP_INTERVAL))) {
            return until.size() < capacity;
        }
        synchronized (this) {
            lastSweep = now;
            until.values().removeIf(end -> !now.isBefore(end));
            full = until.size() >= capacity;
            return !full;
        }
    }
}
