package io.registrar.store;

import java.time.Instant;

/**
 * The jti values of client assertions already accepted (RFC 7523 §3, item 7), shared by every node
 * through the database so that an assertion replayed against another node is refused too.
 */
public interface AssertionReplayStore {

    /**
     * Records {@code jtiKey} until {@code expiresAt}. Returns true the first time, false when it was
     * already recorded (a replay). Atomic across nodes: of two concurrent uses exactly one gets true.
     */
    boolean firstUse(String jtiKey, Instant expiresAt);

    /** Housekeeping: forgets entries whose assertions expired before {@code cutoff}; returns how many. */
    int deleteExpired(Instant cutoff);
}
