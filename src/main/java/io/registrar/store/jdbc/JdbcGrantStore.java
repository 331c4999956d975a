package io.registrar.store.jdbc;

import io.registrar.store.AccessToken;
import io.registrar.store.AuthorizationCode;
import io.registrar.store.GrantStore;
import io.registrar.store.RefreshToken;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link GrantStore} on {@code authorization_codes}, {@code refresh_tokens} and {@code access_tokens}. */
public final class JdbcGrantStore implements GrantStore {

    private static final String FIND_REFRESH_TOKEN = ClientStatusJoin.selectByTokenHash("refresh_tokens", "r", "r.token_hash, "
            + "r.client_id, r.dynamic_client, r.user_id, r.grant_id, r.scope, r.auth_time, r.issued_at, r.expires_at, r.rotated, "
            + "r.cnf_x5t_s256, r.predecessor_hash, r.replay_until, r.pending_response");

    private final Database db;

    public JdbcGrantStore(Database db) {
        this.db = db;
    }

    @Override
    public void insertCode(AuthorizationCode c) {
        Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO authorization_codes (code_hash, client_id, user_id, "
                    + "redirect_uri, redirect_uri_sent, scope, nonce, code_challenge, auth_time, grant_id, expires_at, redeemed) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)")) {
                ps.setString(1, c.codeHash());
                ps.setString(2, c.clientId());
                ps.setString(3, c.userId());
                ps.setString(4, c.redirectUri());
                ps.setBoolean(5, c.redirectUriSent());
                ps.setString(6, String.join(" ", c.scopes()));
                ps.setString(7, c.nonce());
                ps.setString(8, c.codeChallenge());
                Jdbc.setInstant(ps, 9, c.authTime());
                ps.setString(10, c.grantId());
                Jdbc.setInstant(ps, 11, c.expiresAt());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Redemption<AuthorizationCode> redeemCode(String codeHash, Instant now) {
        return Jdbc.write(db, conn -> {
            AuthorizationCode code;
            boolean redeemed;
            try (PreparedStatement ps = conn.prepareStatement("SELECT code_hash, client_id, user_id, redirect_uri, "
                    + "redirect_uri_sent, scope, nonce, code_challenge, auth_time, grant_id, expires_at, redeemed "
                    + "FROM authorization_codes WHERE code_hash = ?")) {
                ps.setString(1, codeHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Redemption<>(Outcome.UNKNOWN, null);
                    }
                    code = new AuthorizationCode(rs.getString("code_hash"), rs.getString("client_id"), rs.getString("user_id"),
                            rs.getString("redirect_uri"), rs.getBoolean("redirect_uri_sent"), Jdbc.scopes(rs.getString("scope")),
                            rs.getString("nonce"), rs.getString("code_challenge"), Jdbc.getInstant(rs, "auth_time"),
                            rs.getString("grant_id"), Jdbc.getInstant(rs, "expires_at"));
                    redeemed = rs.getBoolean("redeemed");
                }
            }
            if (redeemed) {
                return new Redemption<>(Outcome.REPLAYED, code);
            }
            if (!now.isBefore(code.expiresAt())) {
                return new Redemption<>(Outcome.UNKNOWN, null);
            }
            // The conditional UPDATE is the single-use guarantee: of two concurrent redemptions one wins.
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE authorization_codes SET redeemed = TRUE WHERE code_hash = ? AND redeemed = FALSE")) {
                ps.setString(1, codeHash);
                if (ps.executeUpdate() != 1) {
                    return new Redemption<>(Outcome.REPLAYED, code);
                }
            }
            return new Redemption<>(Outcome.DONE, code);
        });
    }

    @Override
    public void issue(AccessToken access, RefreshToken refresh) {
        Jdbc.write(db, conn -> {
            JdbcTokenStore.insert(conn, access);
            if (refresh != null) {
                insertRefresh(conn, refresh);
            }
            return null;
        });
    }

    @Override
    public Optional<RefreshToken> findRefreshToken(String tokenHash) {
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(FIND_REFRESH_TOKEN)) {
                ps.setString(1, tokenHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new RefreshToken(rs.getString("token_hash"), rs.getString("client_id"), rs.getBoolean("dynamic_client"),
                            rs.getString("user_id"), rs.getString("grant_id"), Jdbc.scopes(rs.getString("scope")),
                            Jdbc.getInstant(rs, "auth_time"), Jdbc.getInstant(rs, "issued_at"), Jdbc.getInstant(rs, "expires_at"),
                            rs.getBoolean("rotated"), rs.getString("cnf_x5t_s256"), ClientStatusJoin.clientActive(rs),
                            rs.getString("predecessor_hash"), Jdbc.getInstant(rs, "replay_until"), rs.getString("pending_response")));
                }
            }
        });
    }

    @Override
    public Optional<String> keptAnswer(String rotatedHash, Instant now) {
        // One statement is the check and the read: the rotation of the token that replaced this one
        // clears the answer in its transaction, which commits either before it or after it.
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT pending_response FROM refresh_tokens "
                    + "WHERE token_hash = ? AND rotated = TRUE AND replay_until > ? AND pending_response IS NOT NULL")) {
                ps.setString(1, rotatedHash);
                Jdbc.setInstant(ps, 2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Outcome rotate(String oldHash, String endsReplayOf, AccessToken access, RefreshToken refresh, Replay replay) {
        try {
            return Jdbc.write(db, conn -> {
                try (PreparedStatement ps = conn.prepareStatement("UPDATE refresh_tokens SET rotated = TRUE, replay_until = ?, "
                        + "pending_response = ? WHERE token_hash = ? AND rotated = FALSE")) {
                    Jdbc.setInstant(ps, 1, replay == null ? null : replay.until());
                    ps.setString(2, replay == null ? null : replay.pendingResponse());
                    ps.setString(3, oldHash);
                    if (ps.executeUpdate() != 1) {
                        throw new Jdbc.Rollback();
                    }
                }
                if (endsReplayOf != null) {
                    try (PreparedStatement ps = conn.prepareStatement(
                            "UPDATE refresh_tokens SET replay_until = NULL, pending_response = NULL WHERE token_hash = ?")) {
                        ps.setString(1, endsReplayOf);
                        ps.executeUpdate();
                    }
                }
                JdbcTokenStore.insert(conn, access);
                insertRefresh(conn, refresh);
                return Outcome.DONE;
            });
        } catch (Jdbc.Rollback lost) {
            return Outcome.REPLAYED;
        }
    }

    @Override
    public int revokeGrant(String grantId) {
        return Jdbc.write(db, conn -> {
            int n;
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM access_tokens WHERE grant_id = ?")) {
                ps.setString(1, grantId);
                n = ps.executeUpdate();
            }
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM refresh_tokens WHERE grant_id = ?")) {
                ps.setString(1, grantId);
                n += ps.executeUpdate();
            }
            return n;
        });
    }

    @Override
    public int forgetEndedReplays(Instant now) {
        // Reads the whole table (no index on replay_until); it runs only while a leeway is configured.
        return Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE refresh_tokens SET replay_until = NULL, pending_response = NULL WHERE replay_until < ?")) {
                Jdbc.setInstant(ps, 1, now);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int deleteExpired(Instant cutoff) {
        return Jdbc.write(db, conn -> {
            int n = 0;
            for (String table : List.of("authorization_codes", "refresh_tokens")) {
                try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + table + " WHERE expires_at < ?")) {
                    Jdbc.setInstant(ps, 1, cutoff);
                    n += ps.executeUpdate();
                }
            }
            return n;
        });
    }

    private static void insertRefresh(Connection conn, RefreshToken r) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO refresh_tokens (token_hash, client_id, dynamic_client, "
                + "user_id, grant_id, scope, auth_time, issued_at, expires_at, rotated, cnf_x5t_s256, predecessor_hash) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?)")) {
            ps.setString(1, r.tokenHash());
            ps.setString(2, r.clientId());
            ps.setBoolean(3, r.dynamicClient());
            ps.setString(4, r.userId());
            ps.setString(5, r.grantId());
            ps.setString(6, String.join(" ", r.scopes()));
            Jdbc.setInstant(ps, 7, r.authTime());
            Jdbc.setInstant(ps, 8, r.issuedAt());
            Jdbc.setInstant(ps, 9, r.expiresAt());
            ps.setString(10, r.certificateThumbprint());
            ps.setString(11, r.predecessorHash());
            ps.executeUpdate();
        }
    }
}
