package io.registrar.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's memory of which subjects (client ids, source addresses) failed within the last window:
 * lets a hot path (the token endpoint) skip the database counters of {@link GuessThrottle} for
 * subjects that have not failed, so a right secret costs no extra round trip.
 *
 * <p>A subject is marked failed only when its first wrong secret has been checked, so attempts that
 * arrive meanwhile would all skip the counters: {@link #tryUnchecked} lets one unchecked attempt per
 * subject be in flight on this node, and sends the others to the counters. Per node: a subject that
 * failed only on other nodes gets one attempt at a time here unchecked until it fails here.
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
    /** Subjects with an unchecked attempt in flight: at most one each, so bounded by the requests in flight. */
    private final Set<String> unchecked = ConcurrentHashMap.newKeySet();
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
        until.put(subject, now.plus(window));
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
        until.remove(subject, end);
        return false;
    }

    /**
     * Whether an attempt for {@code subject} may skip the counters: it has not failed recently and no
     * other unchecked attempt for it is in flight on this node. When true, the caller must call
     * {@link #finished} once the attempt is over, after recording a failure with {@link #failed} and
     * in the counters, so that the next attempt sees it.
     */
    public boolean tryUnchecked(String subject) {
        if (failedRecently(subject) || !unchecked.add(subject)) {
            return false;
        }
        if (failedRecently(subject)) {
            // It failed between the look and the mark: the attempt that failed has already finished.
            unchecked.remove(subject);
            return false;
        }
        return true;
    }

    /** Ends the unchecked attempt for {@code subject} that {@link #tryUnchecked} allowed. */
    public void finished(String subject) {
        unchecked.remove(subject);
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
            return until.size() < capacity;
        }
    }
}
