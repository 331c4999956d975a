package io.registrar.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's memory of which subjects (client ids, source addresses) failed within the last window:
 * lets a hot path (the token endpoint) skip the database counters of {@link GuessThrottle} for
 * subjects that have not failed, so a right secret costs no extra round trip.
 *
 * <p>A subject is marked failed when its first wrong secret has been checked (a keyed hash: a few
 * microseconds), so only attempts already in flight at that moment skip the counters, once per
 * window and node. Holding simultaneous attempts back instead would refuse a client's own parallel
 * token requests: the counters count an attempt before its check, so a burst of right secrets would
 * look like a burst of guesses.
 *
 * <p>With more than {@code capacity} subjects remembered, a new failure cannot be kept, so every
 * subject counts as failed until a window has passed since the last failure that was not kept: the
 * memory stays bounded and no failure is forgotten, at the price of checking everyone for a while.
 */
public final class RecentFailures {

    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final Duration window;
    private final int capacity;
    private final Clock clock;
    private final Map<String, Instant> until = new ConcurrentHashMap<>();
    /** Failures of each remembered subject since its memory last started over. */
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private volatile Instant fullUntil = Instant.MIN;
    private volatile Instant lastSweep = Instant.MIN;

    public RecentFailures(Duration window, int capacity, Clock clock) {
        this.window = window;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Remembers a failure of {@code subject} now, for one window. */
    public void failed(String subject) {
        Instant now = clock.instant();
        if (until.size() >= capacity && !until.containsKey(subject) && !sweep()) {
            fullUntil = now.plus(window);
            return;
        }
        Instant previous = until.put(subject, now.plus(window));
        if (previous == null || !now.isBefore(previous)) {
            counts.put(subject, 1);
        } else {
            counts.merge(subject, 1, Integer::sum);
        }
    }

    /** How many times {@code subject} failed on this node within the last window (as many as can be while full). */
    public int recentFailures(String subject) {
        if (clock.instant().isBefore(fullUntil)) {
            return Integer.MAX_VALUE;
        }
        return failedRecently(subject) ? counts.getOrDefault(subject, 1) : 0;
    }

    /** Whether {@code subject} failed on this node within the last window (always true while full). */
    public boolean failedRecently(String subject) {
        Instant now = clock.instant();
        if (now.isBefore(fullUntil)) {
            return true;
        }
        Instant end = until.get(subject);
        if (end == null) {
            return false;
        }
        if (now.isBefore(end)) {
            return true;
        }
        if (until.remove(subject, end)) {
            counts.remove(subject);
        }
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
            counts.keySet().retainAll(until.keySet());
            return until.size() < capacity;
        }
    }
}
