package io.registrar.store;

import java.time.Instant;
import java.util.Optional;

/** Persistence of dynamic clients. Each use case is one call and one transaction. */
public interface ClientStore {

    /**
     * Inserts the client and takes what the registration {@code consumes} in the same transaction;
     * returns false (and stores nothing) when that was used up meanwhile.
     */
    boolean register(DynamicClient client, Consumption consumes, Instant now);

    Optional<DynamicClient> find(String clientId);

    /**
     * Writes the client's metadata, credentials and rotation leeway (null: none) if its registration
     * access token is still {@code expectedTokenHash} (null: unconditionally, for admin updates).
     * Returns false when another request rotated it first — the optimistic check that makes rotation
     * atomic across nodes.
     */
    boolean update(DynamicClient client, String expectedTokenHash);

    /**
     * The answer (encrypted) the client's last rotation kept for the registration access token it
     * replaced, {@code previousTokenHash}, read afresh in one statement: empty once the new token has
     * been used (its own rotation writes over this leeway), the leeway has ended at {@code now}, or the
     * client is no longer active. Callers answer again only from this, never from a row read earlier.
     */
    Optional<String> keptAnswer(String clientId, String previousTokenHash, Instant now);

    /**
     * Housekeeping: forgets the rotation leeways that ended before {@code now}, the encrypted answers
     * with them; returns how many.
     */
    int forgetEndedLeeways(Instant now);

    /** Deletes the client and every token issued to it. Returns false if it did not exist. */
    boolean delete(String clientId);

    /** The dynamic clients registered through {@code userId}'s login, oldest first. */
    java.util.List<DynamicClient> listByUser(String userId);

    /**
     * Sets the client's status and records the change in the audit trail, in one transaction. Returns
     * false when there is no such client. Tokens need no update: they are only as alive as their client.
     */
    boolean changeStatus(StatusChange change);

    /** The audit trail of the client's status changes, oldest first. */
    java.util.List<StatusChange> statusHistory(String clientId);
}
