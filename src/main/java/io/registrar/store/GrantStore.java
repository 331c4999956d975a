package io.registrar.store;

import java.time.Instant;
import java.util.Optional;

/**
 * The authorization code and refresh token grants: codes, refresh tokens and the families of tokens
 * they start. Each method is one transaction.
 */
public interface GrantStore {

    /** What redeeming a code or rotating a refresh token found. */
    enum Outcome { DONE, UNKNOWN, REPLAYED }

    record Redemption<T>(Outcome outcome, T found) {
    }

    void insertCode(AuthorizationCode code);

    /**
     * Marks the code used and returns it (DONE) when it exists, is unexpired and unused; REPLAYED (with
     * the code) when it was already used; UNKNOWN otherwise. RFC 6749 §4.1.2: a code is used once.
     */
    Redemption<AuthorizationCode> redeemCode(String codeHash, Instant now);

    /** Issues the first tokens of a grant: the access token and, when not null, the refresh token. */
    void issue(AccessToken access, RefreshToken refresh);

    /** The refresh token with its client's status, rotated or not; empty when unknown. */
    Optional<RefreshToken> findRefreshToken(String tokenHash);

    /**
     * Rotation (RFC 9700 §4.14.2): marks {@code oldHash} rotated and stores the new tokens in the same
     * transaction, but only if it was not rotated already. REPLAYED when another request rotated it
     * first; the caller then revokes the family.
     */
    Outcome rotate(String oldHash, AccessToken access, RefreshToken refresh);

    /** Revokes a whole family: every access and refresh token of the grant. Returns how many tokens went. */
    int revokeGrant(String grantId);

    /** Housekeeping: codes and refresh tokens that expired before {@code cutoff}. */
    int deleteExpired(Instant cutoff);
}
