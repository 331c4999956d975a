package io.registrar.store;

import java.time.Instant;

/** A single sign-on session, stored by the hash of its cookie value. {@code authTime}: the last password entry. */
public record SsoSession(String sessionHash, String userId, Instant authTime, Instant expiresAt) {
}
