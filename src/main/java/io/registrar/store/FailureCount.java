package io.registrar.store;

import java.time.Instant;
import java.util.Objects;

/** One counter of failed guesses: how many in the window that opened at {@code windowStart}, and when the last one came. */
public record FailureCount(int failures, Instant windowStart, Instant lastFailure) {
    public FailureCount {
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(lastFailure, "lastFailure");
    }
}
