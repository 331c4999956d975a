package io.registrar.store;

import java.time.Instant;
import java.util.Optional;

/** Pushed authorization requests (RFC 9126), by the hash of their request_uri. Each method is one statement. */
public interface PushedRequestStore {

    void insert(PushedRequest request);

    /** The request when it exists and has not expired at {@code now}; reading it does not use it up. */
    Optional<PushedRequest> find(String uriHash, Instant now);

    /**
     * One-time use (RFC 9126 §4): removes the request when it is {@code clientId}'s and unexpired at
     * {@code now}, in one conditional statement, so that of concurrent callers exactly one gets true.
     */
    boolean consume(String uriHash, String clientId, Instant now);

    /** Housekeeping: requests that expired before {@code cutoff}. */
    int deleteExpired(Instant cutoff);
}
