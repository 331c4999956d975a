package io.registrar.store;

import java.time.Instant;
import java.util.Optional;

/** Persistence of access tokens (by hash). */
public interface TokenStore {

    void insert(AccessToken token);

    /** The token with its client's current status folded into {@link AccessToken#clientActive()}. */
    Optional<AccessToken> find(String tokenHash);

    /** RFC 7009: the token stops working; returns false when there was no such token. */
    boolean delete(String tokenHash);

    /** Housekeeping: removes tokens that expired before {@code cutoff}; returns how many. */
    int deleteExpired(Instant cutoff);
}
