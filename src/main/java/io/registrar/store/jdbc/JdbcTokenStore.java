package io.registrar.store.jdbc;

import io.registrar.store.AccessToken;
import io.registrar.store.TokenStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link TokenStore} on {@code access_tokens}. */
public final class JdbcTokenStore implements TokenStore {

    static final int DELETE_CHUNK = 1000;

    private static final String COLUMNS = BatchStatements.ACCESS_TOKEN_COLUMNS;
    private static final String FIND = ClientStatusJoin.selectByTokenHash("access_tokens", "t", "t.token_hash, t.client_id, "
            + "t.dynamic_client, t.scope, t.subject, t.issued_at, t.expires_at, t.registrations_left, t.cnf_x5t_s256, t.grant_id");
    private static final String INSERT = "INSERT INTO access_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * Tokens in one statement per batch. A client_credentials request is a client lookup and this
     * INSERT; on two cores PostgreSQL spent more CPU per token than Registrar did, most of it on
     * per-statement and per-commit work that a batch pays once.
     */
    private static final int MAX_BATCH = 64;

    private final Database db;
    /** PostgreSQL: concurrent token INSERTs batched into one statement. Null on H2, whose group commit batches already. */
    private final Batcher<AccessToken> batcher;
    private final boolean asynchronousCommit;

    /**
     * @param asynchronousCommit whether an access token's commit skips PostgreSQL's WAL flush, or on
     *                           H2 the sync of its file
     */
    public JdbcTokenStore(Database db, boolean asynchronousCommit) {
        this.db = db;
        this.asynchronousCommit = asynchronousCommit;
        this.batcher = db.statementBatcher("registrar-token-insert", MAX_BATCH, sql -> batch ->
                insertMany(asynchronousCommit ? sql.insertAccessTokensUnsynced() : sql.insertAccessTokens(), batch));
    }

    @Override
    public void insert(AccessToken t) {
        if (batcher != null) {
            batcher.submit(t);
        } else if (asynchronousCommit) {
            Jdbc.writeStatementUnsynced(db, conn -> insert(conn, INSERT, t));
        } else {
            Jdbc.writeStatement(db, conn -> insert(conn, INSERT, t));
        }
    }

    private Object[] insertMany(String sql, List<AccessToken> tokens) {
        String[][] columns = Jdbc.columns(tokens.size(), i -> {
            AccessToken t = tokens.get(i);
            return new String[] {t.tokenHash(), t.clientId(), String.valueOf(t.dynamicClient()), String.join(" ", t.scopes()),
                    t.subject(), Jdbc.text(t.issuedAt()), Jdbc.text(t.expiresAt()),
                    t.registrationsLeft() == null ? null : t.registrationsLeft().toString(), t.certificateThumbprint(), t.grantId()};
        });
        Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = Jdbc.prepareWithArrays(conn, sql, columns)) {
                return ps.executeUpdate();
            }
        });
        return null;
    }

    /** The INSERT of one access token, on the caller's transaction (which commits as it always does). */
    static int insert(java.sql.Connection conn, AccessToken t) throws java.sql.SQLException {
        return insert(conn, INSERT, t);
    }

    private static int insert(java.sql.Connection conn, String sql, AccessToken t) throws java.sql.SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, t.tokenHash());
            ps.setString(2, t.clientId());
            ps.setBoolean(3, t.dynamicClient());
            ps.setString(4, String.join(" ", t.scopes()));
            ps.setString(5, t.subject());
            Jdbc.setInstant(ps, 6, t.issuedAt());
            Jdbc.setInstant(ps, 7, t.expiresAt());
            if (t.registrationsLeft() == null) {
                ps.setNull(8, java.sql.Types.INTEGER);
            } else {
                ps.setInt(8, t.registrationsLeft());
            }
            ps.setString(9, t.certificateThumbprint());
            ps.setString(10, t.grantId());
            return ps.executeUpdate();
        }
    }

    @Override
    public Optional<AccessToken> find(String tokenHash) {
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(FIND)) {
                ps.setString(1, tokenHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    int left = rs.getInt("registrations_left");
                    Integer registrationsLeft = rs.wasNull() ? null : left;
                    List<String> scopes = Jdbc.scopes(rs.getString("scope"));
                    return Optional.of(new AccessToken(rs.getString("token_hash"), rs.getString("client_id"),
                            rs.getBoolean("dynamic_client"), scopes, rs.getString("subject"), Jdbc.getInstant(rs, "issued_at"),
                            Jdbc.getInstant(rs, "expires_at"), registrationsLeft, rs.getString("cnf_x5t_s256"),
                            ClientStatusJoin.clientActive(rs), rs.getString("grant_id")));
                }
            }
        });
    }

    @Override
    public boolean delete(String tokenHash) {
        return Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM access_tokens WHERE token_hash = ?")) {
                ps.setString(1, tokenHash);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int deleteExpired(Instant cutoff) {
        // In chunks, each its own short write: on the embedded database every write goes through the
        // one group-commit writer, and a single huge DELETE would hold registrations up behind it.
        int total = 0;
        int deleted;
        do {
            deleted = Jdbc.write(db, conn -> {
                try (PreparedStatement ps = conn.prepareStatement("DELETE FROM access_tokens WHERE token_hash IN "
                        + "(SELECT token_hash FROM access_tokens WHERE expires_at < ? FETCH FIRST " + DELETE_CHUNK + " ROWS ONLY)")) {
                    Jdbc.setInstant(ps, 1, cutoff);
                    return ps.executeUpdate();
                }
            });
            total += deleted;
        } while (deleted == DELETE_CHUNK);
        return total;
    }
}
