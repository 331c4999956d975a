package io.registrar.store.jdbc;

import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.store.PushedRequest;
import io.registrar.store.PushedRequestStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@link PushedRequestStore} on {@code pushed_authorization_requests}. */
public final class JdbcPushedRequestStore implements PushedRequestStore {

    private final Database db;
    private final String insertSql;

    public JdbcPushedRequestStore(Database db) {
        this.db = db;
        this.insertSql = "INSERT INTO pushed_authorization_requests (uri_hash, client_id, parameters, expires_at) VALUES (?, ?, "
                + db.dialect().jsonParameter() + ", ?)";
    }

    @Override
    public void insert(PushedRequest r) {
        Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(insertSql)) {
                ps.setString(1, r.uriHash());
                ps.setString(2, r.clientId());
                ps.setString(3, Json.write(r.parameters()));
                Jdbc.setInstant(ps, 4, r.expiresAt());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<PushedRequest> find(String uriHash, Instant now) {
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT uri_hash, client_id, parameters, expires_at "
                    + "FROM pushed_authorization_requests WHERE uri_hash = ? AND expires_at > ?")) {
                ps.setString(1, uriHash);
                Jdbc.setInstant(ps, 2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Map<String, String> parameters = new LinkedHashMap<>();
                    Json.parseObject(rs.getString("parameters"), OAuthError.SERVER_ERROR)
                            .forEach((name, value) -> parameters.put(name, String.valueOf(value)));
                    return Optional.of(new PushedRequest(rs.getString("uri_hash"), rs.getString("client_id"), parameters,
                            Jdbc.getInstant(rs, "expires_at")));
                }
            }
        });
    }

    @Override
    public boolean consume(String uriHash, String clientId, Instant now) {
        // The conditional DELETE is the one-time guarantee: of two concurrent uses, one deletes the row.
        return Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "DELETE FROM pushed_authorization_requests WHERE uri_hash = ? AND client_id = ? AND expires_at > ?")) {
                ps.setString(1, uriHash);
                ps.setString(2, clientId);
                Jdbc.setInstant(ps, 3, now);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int deleteExpired(Instant cutoff) {
        return Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM pushed_authorization_requests WHERE expires_at < ?")) {
                Jdbc.setInstant(ps, 1, cutoff);
                return ps.executeUpdate();
            }
        });
    }
}
