package io.registrar.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Users, their single sign-on sessions, and failed sign-in counts. */
public interface UserStore {

    /** Inserts the user unless one with that username exists; returns whether it was inserted. */
    boolean insertIfAbsent(User user);

    Optional<User> findByUsername(String username);

    Optional<User> find(String userId);

    void insertSession(SsoSession session);

    /** The session, when it exists and has not expired at {@code now}. */
    Optional<SsoSession> findSession(String sessionHash, Instant now);

    void deleteSession(String sessionHash);

    /**
     * Failed sign-ins counted under {@code keyHash} in the window that is open at {@code now} (a
     * window older than {@code window} counts as empty).
     */
    int failures(String keyHash, Instant now, Duration window);

    /** Counts one more failure under {@code keyHash}, opening a new window when the last one ended. */
    void recordFailure(String keyHash, Instant now, Duration window);

    void clearFailures(String keyHash);

    /** Housekeeping: expired sessions and failure windows. */
    int deleteExpired(Instant now, Duration failureWindow);
}
