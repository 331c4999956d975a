package io.registrar.throttle;

import io.registrar.config.RegistrarConfig;
import io.registrar.store.FailureCount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The delay and ceiling arithmetic of the guessing throttle, against numbers worked out by hand. */
class ThrottleRulesTest {

    /** registrar-defaults.yaml's login.throttling. */
    static final RegistrarConfig.Throttling DEFAULTS = new RegistrarConfig.Throttling(3, Duration.ofSeconds(1), Duration.ofMinutes(5),
            20, 100, Duration.ofHours(1));
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @ParameterizedTest(name = "{0} failures, {1} free, first {2}, max {3} -> {4}")
    @CsvSource({
            "0, 3, PT1S, PT5M, PT0S",
            "2, 3, PT1S, PT5M, PT0S",
            "3, 3, PT1S, PT5M, PT1S",
            "4, 3, PT1S, PT5M, PT2S",
            "5, 3, PT1S, PT5M, PT4S",
            "11, 3, PT1S, PT5M, PT4M16S",      // 2^8 s
            "12, 3, PT1S, PT5M, PT5M",         // 2^9 s = 512 s, over the cap
            "1000000, 3, PT1S, PT5M, PT5M",    // no overflow however many
            "1, 1, PT0.25S, PT1S, PT0.25S",
            "3, 1, PT0.25S, PT1S, PT1S",       // exactly the cap
            "4, 1, PT0.25S, PT1S, PT1S",
    })
    void theDelayDoublesFromTheFirstUpToTheCap(int failures, int free, Duration first, Duration max, Duration expected) {
        assertEquals(expected, ThrottleRules.delay(failures, free, first, max));
    }

    @ParameterizedTest(name = "free {0}, first {1}, max {2}, window {3} -> {4} attempts")
    @CsvSource({
            // 3 at once, then after 1+2+…+256 = 511 s the 12th, then one per 300 s while < 3600 s: 11 more.
            "3, PT1S, PT5M, PT1H, 22",
            // 20 at once, the same 9 doublings, then 10 at the cap.
            "20, PT1S, PT5M, PT1H, 39",
            "1, PT1M, PT1M, PT1H, 60",          // one at once, then one per minute: at 0, 1, …, 59 min
            "5, PT10M, PT10M, PT10M, 5",        // the window closes before the first delay ends
            "2, PT1S, PT1S, PT3S, 4",           // at 0, 0, 1, 2 s; 3 s is the next window
    })
    void theAttemptsOneCounterLetsThroughInAWindow(int free, Duration first, Duration max, Duration window, int expected) {
        RegistrarConfig.Throttling t = new RegistrarConfig.Throttling(free, first, max, free, 100, window);
        assertEquals(expected, ThrottleRules.maxAttemptsPerWindow(free, t));
    }

    @Test
    void theDefaultsAllow22GuessesPerAddressAndAccountAnd39PerAddress() {
        assertEquals(22, ThrottleRules.maxAttemptsPerPair(DEFAULTS));
        assertEquals(39, ThrottleRules.maxAttemptsPerAddress(DEFAULTS));
    }

    static FailureCount count(int failures, int secondsAgo) {
        return new FailureCount(failures, NOW.minusSeconds(600), NOW.minusSeconds(secondsAgo));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            // case,                                         pair,  ago, address, ago, subject, wait
            "nothing counted yet,                            -,     0,   -,       0,   -,       PT0S",
            "free failures of the pair,                      2,     0,   2,       0,   2,       PT0S",
            "the pair waits its delay since its last failure, 4,    1,   4,       1,   4,       PT1S",
            "a delay that has passed,                        4,     2,   4,       2,   4,       PT0S",
            "the address waits once past its own free ones,  -,     0,   21,      1,   0,       PT1S",
            "another address at the ceiling is not held,     -,     0,   0,       0,   100,     PT0S",
            "a failed address at the ceiling waits the window, 1,   590, 1,       590, 100,     PT50M",
            "the longest wait wins,                          13,    0,   1,       0,   100,     PT50M",
    })
    void anAttemptWaitsForTheLongestOfItsCounters(String name, Integer pair, int pairAgo, Integer address, int addressAgo,
                                                  Integer subject, Duration expected) {
        assertEquals(expected, ThrottleRules.wait(DEFAULTS, pair == null ? null : count(pair, pairAgo),
                address == null ? null : count(address, addressAgo), subject == null ? null : count(subject, 0), NOW), name);
    }
}
