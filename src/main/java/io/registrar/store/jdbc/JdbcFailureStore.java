package io.registrar.store.jdbc;

import io.registrar.store.FailureCount;
import io.registrar.store.FailureStore;
import io.registrar.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link FailureStore} on {@code failure_counters}. */
public final class JdbcFailureStore implements FailureStore {

    private final Database db;

    public JdbcFailureStore(Database db) {
        this.db = db;
    }

    @Override
    public Map<String, FailureCount> find(Collection<String> keyHashes, Instant now, Duration window) {
        if (keyHashes.isEmpty()) {
            return Map.of();
        }
        String in = String.join(", ", java.util.Collections.nCopies(keyHashes.size(), "?"));
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT key_hash, failures, window_start, last_failure "
                    + "FROM failure_counters WHERE key_hash IN (" + in + ") AND window_start > ?")) {
                int i = 1;
                for (String key : keyHashes) {
                    ps.setString(i++, key);
                }
                Jdbc.setInstant(ps, i, now.minus(window));
                Map<String, FailureCount> out = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new FailureCount(rs.getInt(2), Jdbc.getInstant(rs, "window_start"),
                                Jdbc.getInstant(rs, "last_failure")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean increment(List<Increment> increments, Instant now, Duration window) {
        try {
            return incrementOnce(increments, now, window);
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql && Dialect.isUniqueViolation(sql))) {
                throw e;
            }
        }
        // Another node inserted one of the counters first: count on the row it made. A conditional
        // increment then finds its counter changed, as it should.
        try {
            return incrementOnce(increments, now, window);
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && Dialect.isUniqueViolation(sql)) {
                return false;
            }
            throw e;
        }
    }

    private boolean incrementOnce(List<Increment> increments, Instant now, Duration window) {
        try {
            return Jdbc.write(db, conn -> {
                for (Increment increment : increments) {
                    if (!incrementOne(conn, increment, now, now.minus(window))) {
                        throw new Jdbc.Rollback();
                    }
                }
                return true;
            });
        } catch (Jdbc.Rollback changed) {
            return false;
        }
    }

    /** False when a conditional increment finds its counter changed. */
    private static boolean incrementOne(Connection conn, Increment increment, Instant now, Instant closedBefore) throws SQLException {
        if (increment.conditional() && increment.seen() != null) {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE failure_counters SET failures = failures + 1, last_failure = ? "
                    + "WHERE key_hash = ? AND failures = ? AND window_start = ? AND last_failure = ?")) {
                Jdbc.setInstant(ps, 1, now);
                ps.setString(2, increment.keyHash());
                ps.setInt(3, increment.seen().failures());
                Jdbc.setInstant(ps, 4, increment.seen().windowStart());
                Jdbc.setInstant(ps, 5, increment.seen().lastFailure());
                return ps.executeUpdate() == 1;
            }
        }
        // Count within the open window, or open a new one; a conditional increment that saw no open
        // window may only open one.
        String update = increment.conditional()
                ? "UPDATE failure_counters SET failures = 1, window_start = ?, last_failure = ? WHERE key_hash = ? AND window_start <= ?"
                : "UPDATE failure_counters SET failures = CASE WHEN window_start > ? THEN failures + 1 ELSE 1 END, "
                + "window_start = CASE WHEN window_start > ? THEN window_start ELSE ? END, last_failure = ? WHERE key_hash = ?";
        try (PreparedStatement ps = conn.prepareStatement(update)) {
            if (increment.conditional()) {
                Jdbc.setInstant(ps, 1, now);
                Jdbc.setInstant(ps, 2, now);
                ps.setString(3, increment.keyHash());
                Jdbc.setInstant(ps, 4, closedBefore);
            } else {
                Jdbc.setInstant(ps, 1, closedBefore);
                Jdbc.setInstant(ps, 2, closedBefore);
                Jdbc.setInstant(ps, 3, now);
                Jdbc.setInstant(ps, 4, now);
                ps.setString(5, increment.keyHash());
            }
            if (ps.executeUpdate() == 1) {
                return true;
            }
        }
        // No row: the first failure. A row that exists with an open window (a conditional increment
        // raced) makes this a unique violation, which fails the transaction.
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO failure_counters (key_hash, failures, window_start, last_failure) VALUES (?, 1, ?, ?)")) {
            ps.setString(1, increment.keyHash());
            Jdbc.setInstant(ps, 2, now);
            Jdbc.setInstant(ps, 3, now);
            ps.executeUpdate();
        }
        return true;
    }

    @Override
    public void refund(String deleted, List<String> decremented) {
        Jdbc.write(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM failure_counters WHERE key_hash = ?")) {
                ps.setString(1, deleted);
                ps.executeUpdate();
            }
            for (String key : decremented) {
                try (PreparedStatement ps = conn.prepareStatement(
                        "UPDATE failure_counters SET failures = failures - 1 WHERE key_hash = ? AND failures > 0")) {
                    ps.setString(1, key);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public int deleteExpired(Instant now, Duration window) {
        return Jdbc.write(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM failure_counters WHERE window_start <= ?")) {
                Jdbc.setInstant(ps, 1, now.minus(window));
                return ps.executeUpdate();
            }
        });
    }
}
