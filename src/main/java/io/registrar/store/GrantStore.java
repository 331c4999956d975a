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
     * What a rotation keeps for its leeway: the answer it gave (the new tokens, encrypted), to be given
     * again for the old token until {@code until}.
     */
    record Replay(Instant until, String pendingResponse) {
    }

    /**
     * Rotation (RFC 9700 §4.14.2): marks {@code oldHash} rotated and stores the new tokens in the same
     * transaction, but only if it was not rotated already. REPLAYED when another request rotated it
     * first; the caller then revokes the family. With a leeway, {@code replay} (else null) is kept on
     * the old token, and the answer kept on {@code endsReplayOf} (the token {@code oldHash} replaced;
     * null: none) is cleared in the same transaction: once a new token is used, the one before it is
     * a replay like any other.
     */
    Outcome rotate(String oldHash, String endsReplayOf, AccessToken access, RefreshToken refresh, Replay replay);

    /**
     * The answer (encrypted) kept for the rotated refresh token {@code rotatedHash}, read afresh in one
     * statement: empty once the token that replaced it has been rotated (which clears it), the leeway
     * has ended at {@code now}, or the grant was revoked. Callers answer again only from this, never
     * from a row read earlier.
     */
    Optional<String> keptAnswer(String rotatedHash, Instant now);

    /** Rotation without a leeway. */
    default Outcome rotate(String oldHash, AccessToken access, RefreshToken refresh) {
        return rotate(oldHash, null, access, refresh, null);
    }

    /** Revokes a whole family: every access and refresh token of the grant. Returns how many tokens went. */
    int revokeGrant(String grantId);

    /** Housekeeping: forgets the answers kept for rotated refresh tokens whose leeway ended before {@code now}. */
    int forgetEndedReplays(Instant now);

    /** Housekeeping: codes and refresh tokens that expired before {@code cutoff}. */
    int deleteExpired(Instant cutoff);
}
