package io.registrar.throttle;

import io.registrar.support.SteppingClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which attempts may skip the database counters of the guessing throttle on one node. */
class RecentFailuresTest {

    static final Duration WINDOW = Duration.ofHours(1);

    final SteppingClock clock = new SteppingClock();

    @Test
    void onlyOneUncheckedAttemptPerSubjectIsInFlightAtATime() {
        RecentFailures recent = new RecentFailures(WINDOW, 10, clock);
        assertTrue(recent.tryUnchecked("client-a"));
        assertFalse(recent.tryUnchecked("client-a"), "a simultaneous attempt goes to the counters");
        assertTrue(recent.tryUnchecked("client-b"), "another subject is not held up");
        recent.finished("client-a");
        assertTrue(recent.tryUnchecked("client-a"), "the next attempt after a right secret");
        recent.failed("client-a");
        recent.finished("client-a");
        assertFalse(recent.tryUnchecked("client-a"), "after a failure, until the window has passed");
        clock.step(WINDOW);
        assertTrue(recent.tryUnchecked("client-a"));
    }

    @Test
    void aFailureThatDidNotFitSendsEverySubjectToTheCountersForAWindow() {
        RecentFailures recent = new RecentFailures(WINDOW, 2, clock);
        recent.failed("a");
        clock.step(Duration.ofMinutes(10));
        recent.failed("b");
        recent.failed("c");
        assertTrue(recent.failedRecently("c"), "not remembered, but no failure is forgotten");
        assertTrue(recent.failedRecently("unknown"));

        // "a" expires and a sweep makes room; "c" failed less than a window ago and still counts.
        clock.step(Duration.ofMinutes(55));
        assertTrue(recent.failedRecently("c"));
        assertTrue(recent.failedRecently("unknown"));
        assertFalse(recent.tryUnchecked("unknown"));

        clock.step(Duration.ofMinutes(5));
        assertFalse(recent.failedRecently("c"), "a window after the failure that did not fit");
        assertTrue(recent.tryUnchecked("unknown"));
        recent.failed("d");
        assertTrue(recent.failedRecently("d"), "remembered again once there is room");
        assertFalse(recent.failedRecently("unknown"));
    }
}
