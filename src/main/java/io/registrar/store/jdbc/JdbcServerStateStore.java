package io.registrar.store.jdbc;

import io.registrar.store.ServerStateStore;
import io.registrar.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Supplier;

/** {@link ServerStateStore} on {@code server_state}. */
public final class JdbcServerStateStore implements ServerStateStore {

    private final Database db;

    public JdbcServerStateStore(Database db) {
        this.db = db;
    }

    @Override
    public String getOrCreate(String name, Supplier<String> generator) {
        String existing = Jdbc.read(db, conn -> select(conn, name));
        if (existing != null) {
            return existing;
        }
        String value = generator.get();
        try {
            Jdbc.write(db, conn -> {
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO server_state (name, state_value, created_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, name);
                    ps.setString(2, value);
                    Jdbc.setInstant(ps, 3, Instant.now());
                    return ps.executeUpdate();
                }
            });
            return value;
        } catch (StoreException e) {
            // Another node inserted first: its value wins, so all nodes agree.
            if (e.getCause() instanceof SQLException se && Dialect.isUniqueViolation(se)) {
                return Jdbc.read(db, conn -> select(conn, name));
            }
            throw e;
        }
    }

    private static String select(Connection conn, String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT state_value FROM server_state WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public boolean ping() {
        try {
            return Jdbc.read(db, conn -> conn.isValid(2));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
