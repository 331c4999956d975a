package io.registrar.store.jdbc;

import io.registrar.store.SsoSession;
import io.registrar.store.User;
import io.registrar.store.UserStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** {@link UserStore} on {@code users} and {@code sso_sessions}. */
public final class JdbcUserStore implements UserStore {

    private static final String USER_COLUMNS = "user_id, username, password_hash, name, email, created_at";

    private final Database db;

    public JdbcUserStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean insertIfAbsent(User u) {
        try {
            return Jdbc.write(db, conn -> {
                try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM users WHERE username = ?")) {
                    ps.setString(1, u.username());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return false;
                        }
                    }
                }
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, u.userId());
                    ps.setString(2, u.username());
                    ps.setString(3, u.passwordHash());
                    ps.setString(4, u.name());
                    ps.setString(5, u.email());
                    Jdbc.setInstant(ps, 6, u.createdAt());
                    ps.executeUpdate();
                }
                return true;
            });
        } catch (io.registrar.store.StoreException e) {
            // Another node inserted the same user first.
            if (e.getCause() instanceof SQLException sql && Dialect.isUniqueViolation(sql)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return findUser("username", username);
    }

    @Override
    public Optional<User> find(String userId) {
        return findUser("user_id", userId);
    }

    private Optional<User> findUser(String column, String value) {
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT " + USER_COLUMNS + " FROM users WHERE " + column + " = ?")) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new User(rs.getString("user_id"), rs.getString("username"), rs.getString("password_hash"),
                            rs.getString("name"), rs.getString("email"), Jdbc.getInstant(rs, "created_at")));
                }
            }
        });
    }

    @Override
    public void insertSession(SsoSession s) {
        Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO sso_sessions (session_hash, user_id, auth_time, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, s.sessionHash());
                ps.setString(2, s.userId());
                Jdbc.setInstant(ps, 3, s.authTime());
                Jdbc.setInstant(ps, 4, s.expiresAt());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<SsoSession> findSession(String sessionHash, Instant now) {
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT session_hash, user_id, auth_time, expires_at FROM sso_sessions WHERE session_hash = ? AND expires_at > ?")) {
                ps.setString(1, sessionHash);
                Jdbc.setInstant(ps, 2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new SsoSession(rs.getString("session_hash"), rs.getString("user_id"),
                            Jdbc.getInstant(rs, "auth_time"), Jdbc.getInstant(rs, "expires_at"))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void deleteSession(String sessionHash) {
        Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM sso_sessions WHERE session_hash = ?")) {
                ps.setString(1, sessionHash);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int deleteExpired(Instant now) {
        return Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM sso_sessions WHERE expires_at < ?")) {
                Jdbc.setInstant(ps, 1, now);
                return ps.executeUpdate();
            }
        });
    }
}
