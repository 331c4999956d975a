package io.registrar.throttle;

import io.registrar.config.RegistrarConfig;
import io.registrar.store.FailureCount;

import java.time.Duration;
import java.time.Instant;

/**
 * The arithmetic of {@link RegistrarConfig.Throttling}, with no I/O: how long an attempt must wait
 * given its counters, and the ceilings that follow from the settings.
 *
 * <p>NIST SP 800-63B §5.2.2 asks for a limit on failed attempts per account and suggests growing
 * waits rather than a lock; OWASP's Authentication Cheat Sheet warns that a lock by account alone lets
 * anyone lock anyone out. So the gate is the pair of account and address: another address, which the
 * guesser does not hold, is not held back, and the per-account ceiling stops only addresses that have
 * already failed for that account.
 */
public final class ThrottleRules {

    /** Beyond this many doublings every delay is the maximum anyway; keeps the shift from overflowing. */
    private static final int MAX_DOUBLINGS = 40;

    private ThrottleRules() {
    }

    /**
     * The wait required after {@code failures} failures since the last of them: none for the first
     * {@code free}, then {@code first}, doubling with each further failure, never more than {@code max}.
     */
    public static Duration delay(int failures, int free, Duration first, Duration max) {
        if (failures < free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - free, MAX_DOUBLINGS);
        long millis = first.toMillis();
        return millis > max.toMillis() >> doublings ? max : Duration.ofMillis(millis << doublings);
    }

    /**
     * How long an attempt with these counters must wait before its secret may be checked; zero when it
     * may go ahead now. A counter is null when there is none open.
     *
     * @param pair    failures for this subject from this address
     * @param address failures from this address for any subject
     * @param subject failures for this subject from any address
     */
    public static Duration wait(RegistrarConfig.Throttling t, FailureCount pair, FailureCount address, FailureCount subject, Instant now) {
        Duration wait = Duration.ZERO;
        wait = longer(wait, remaining(pair, t.freeFailures(), t, now));
        wait = longer(wait, remaining(address, t.freeFailuresPerAddress(), t, now));
        // The ceiling stops only addresses that have failed for this subject: one that has not may be
        // the real user, and costs a guesser a fresh address for each guess.
        if (subject != null && subject.failures() >= t.maxFailuresPerWindow() && pair != null && pair.failures() > 0) {
            wait = longer(wait, Duration.between(now, subject.windowStart().plus(t.window())));
        }
        return wait;
    }

    /** The most attempts one counter with {@code free} free failures lets through in one window. */
    public static int maxAttemptsPerWindow(int free, RegistrarConfig.Throttling t) {
        long window = t.window().toMillis();
        long at = 0;
        int attempts = 0;
        while (true) {
            at += delay(attempts, free, t.firstDelay(), t.maxDelay()).toMillis();
            // The window opens at the first failure and is closed from window on.
            if (at >= window) {
                return attempts;
            }
            attempts++;
        }
    }

    /** The attempts from one address at one subject per window. */
    public static int maxAttemptsPerPair(RegistrarConfig.Throttling t) {
        return maxAttemptsPerWindow(t.freeFailures(), t);
    }

    /** The attempts from one address at all subjects together per window. */
    public static int maxAttemptsPerAddress(RegistrarConfig.Throttling t) {
        return maxAttemptsPerWindow(t.freeFailuresPerAddress(), t);
    }

    private static Duration remaining(FailureCount c, int free, RegistrarConfig.Throttling t, Instant now) {
        if (c == null) {
            return Duration.ZERO;
        }
        Instant allowedAt = c.lastFailure().plus(delay(c.failures(), free, t.firstDelay(), t.maxDelay()));
        return now.isBefore(allowedAt) ? Duration.between(now, allowedAt) : Duration.ZERO;
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
