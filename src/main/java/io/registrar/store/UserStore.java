package io.registrar.store;

import java.time.Instant;
import java.util.Optional;

/** Users and their single sign-on sessions. */
public interface UserStore {

    /** Inserts the user unless one with that username exists; returns whether it was inserted. */
    boolean insertIfAbsent(User user);

    Optional<User> findByUsername(String username);

    Optional<User> find(String userId);

    void insertSession(SsoSession session);

    /** The session, when it exists and has not expired at {@code now}. */
    Optional<SsoSession> findSession(String sessionHash, Instant now);

    void deleteSession(String sessionHash);

    /** Housekeeping: expired sessions. */
    int deleteExpired(Instant now);
}
