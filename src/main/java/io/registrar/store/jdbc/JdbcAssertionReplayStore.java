package io.registrar.store.jdbc;

import io.registrar.store.AssertionReplayStore;
import io.registrar.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** {@link AssertionReplayStore} on {@code client_assertion_jtis}: the primary key decides who was first. */
public final class JdbcAssertionReplayStore implements AssertionReplayStore {

    private final Database db;

    public JdbcAssertionReplayStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean firstUse(String jtiKey, Instant expiresAt) {
        try {
            return Jdbc.writeStatement(db, conn -> {
                try (PreparedStatement ps = conn.prepareStatement(
                        "INSERT INTO client_assertion_jtis (jti_hash, expires_at) VALUES (?, ?)")) {
                    ps.setString(1, jtiKey);
                    Jdbc.setInstant(ps, 2, expiresAt);
                    return ps.executeUpdate() == 1;
                }
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException se && Dialect.isUniqueViolation(se)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public int deleteExpired(Instant cutoff) {
        return Jdbc.write(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM client_assertion_jtis WHERE expires_at < ?")) {
                Jdbc.setInstant(ps, 1, cutoff);
                return ps.executeUpdate();
            }
        });
    }
}
