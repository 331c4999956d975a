package io.registrar.throttle;

import io.registrar.support.SteppingClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which attempts may skip the database counters of the guessing throttle on one node. */
class RecentFailuresTest {

    static final Duration WINDOW = Duration.ofHours(1);

    final SteppingClock clock = new SteppingClock();

    @Test
    void aFailureIsRememberedForOneWindow() {
        RecentFailures recent = new RecentFailures(WINDOW, 10, clock);
        assertFalse(recent.failedRecently("client-a"));
        recent.failed("client-a");
        assertTrue(recent.failedRecently("client-a"));
        assertFalse(recent.failedRecently("client-b"), "another subject is not held up");
        recent.failed("client-a");
        assertEquals(2, recent.recentFailures("client-a"));
        assertEquals(0, recent.recentFailures("client-b"));
        clock.step(WINDOW);
        assertFalse(recent.failedRecently("client-a"));
        assertEquals(0, recent.recentFailures("client-a"));
        recent.failed("client-a");
        assertEquals(1, recent.recentFailures("client-a"), "a new window starts the count over");
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
        assertTrue(recent.failedRecently("unknown"));

        clock.step(Duration.ofMinutes(5));
        assertFalse(recent.failedRecently("c"), "a window after the failure that did not fit");
        assertFalse(recent.failedRecently("unknown"));
        recent.failed("d");
        assertTrue(recent.failedRecently("d"), "remembered again once there is room");
        assertFalse(recent.failedRecently("unknown"));
    }
}
