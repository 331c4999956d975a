package io.registrar.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Counters of guesses at a secret (passwords, client secrets), each under the hash of what it counts
 * (an account, an address, a pair of both). A counter's window opens at its first failure and closes
 * {@code window} later; a closed window counts as no counter at all.
 */
public interface FailureStore {

    /**
     * One more attempt under {@code keyHash}. When {@code conditional}, only if the counter is still
     * {@code seen} (null: no open counter), so that of two attempts that read the same counter only one
     * is counted and goes ahead; otherwise whatever the counter holds.
     */
    record Increment(String keyHash, boolean conditional, FailureCount seen) {
    }

    /** The open counters among {@code keyHashes}, by key hash; keys without one are absent. */
    Map<String, FailureCount> find(Collection<String> keyHashes, Instant now, Duration window);

    /**
     * Counts the increments together, in one transaction. Returns false, counting none of them, when a
     * conditional one found its counter changed since it was read.
     */
    boolean increment(List<Increment> increments, Instant now, Duration window);

    /** After a right secret: deletes the counter under {@code deleted} and takes one back from each of {@code decremented}. */
    void refund(String deleted, List<String> decremented);

    /** Housekeeping: counters whose window closed before {@code now}. */
    int deleteExpired(Instant now, Duration window);
}
