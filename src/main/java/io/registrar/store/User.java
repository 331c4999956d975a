package io.registrar.store;

import java.time.Instant;
import java.util.Objects;

/** A user of the login page. {@code userId} is the subject of its tokens; {@code passwordHash} a PHC string. */
public record User(String userId, String username, String passwordHash, String name, String email, Instant createdAt) {
    public User {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
    }
}
