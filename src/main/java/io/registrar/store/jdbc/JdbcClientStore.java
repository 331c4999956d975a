package io.registrar.store.jdbc;

import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.TemplateOverlay;
import io.registrar.store.ClientTemplate;
import io.registrar.store.Consumption;
import io.registrar.store.StatusChange;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.store.ClientStatus;
import io.registrar.store.ClientStore;
import io.registrar.store.DynamicClient;
import io.registrar.store.RegistrationOrigin;
import io.registrar.store.RotationLeeway;
import io.registrar.store.SoftwareIdTaken;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** {@link ClientStore} on {@code dynamically_registered_clients}. */
public final class JdbcClientStore implements ClientStore {

    private static final String COLUMNS = BatchStatements.CLIENT_COLUMNS;
    /**
     * A client and its template in one query: templatized clients are resolved on every read, so a
     * change to the template applies at once and nothing is copied.
     */
    private static final String SELECT = "SELECT c.client_id, c.status, c.metadata, c.secret_hash, c.secret_encrypted, "
            + "c.secret_expires_at, c.registration_token_hash, c.registration_token_expires_at, "
            + "c.registration_token_delete_expires_at, c.registered_by, c.registrant_kind, c.authenticated_user, c.template_id, "
            + "c.created_at, c.updated_at, c.previous_token_hash, c.previous_token_until, c.pending_response, c.origin, c.unique_software_id, "
            + JdbcTemplateStore.COLUMNS_AS_T
            + " FROM dynamically_registered_clients c LEFT JOIN client_templates t ON t.template_id = c.template_id ";

    /**
     * Registrations in one statement per batch. Each one is a durable commit, and on two cores
     * PostgreSQL's per-statement and per-commit work, and the WAL flush every commit waits for, cost
     * more than the rest of a registration; a batch pays them once.
     */
    private static final int MAX_BATCH = 64;

    /** SQLSTATE of a unique constraint violation, on H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    /** A client's new state, to be written only where it still has {@code expectedTokenHash}. */
    private record Rotation(DynamicClient client, String expectedTokenHash) {
    }

    private final Database db;
    /**
     * PostgreSQL: concurrent registrations that consume nothing (a token good for any number of them)
     * batched into one statement. Null on H2, whose group commit batches every write already.
     */
    private final Batcher<DynamicClient> batcher;
    /** PostgreSQL: concurrent rotations (GET or PUT with new credentials) batched into one conditional UPDATE. */
    private final Batcher<Rotation> rotations;
    private final String insertSql;
    private final String updateSql;
    private final String updateUnconditionalSql;

    public JdbcClientStore(Database db) {
        this.db = db;
        String json = db.dialect().jsonParameter();
        this.insertSql = "INSERT INTO dynamically_registered_clients (client_id, unique_software_id, " + COLUMNS.substring("client_id, ".length())
                + ") VALUES (?, ?, ?, " + json
                + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + json + ")";
        String set = "UPDATE dynamically_registered_clients SET metadata = " + json + ", secret_hash = ?, secret_encrypted = ?, "
                + "secret_expires_at = ?, registration_token_hash = ?, registration_token_expires_at = ?, "
                + "registration_token_delete_expires_at = ?, previous_token_hash = ?, previous_token_until = ?, pending_response = ?, "
                + "updated_at = ?, origin = " + json + " WHERE client_id = ?";
        this.updateSql = set + " AND registration_token_hash = ?";
        this.updateUnconditionalSql = set;
        this.batcher = db.statementBatcher("registrar-client-insert", MAX_BATCH, sql -> batch -> insertMany(sql.insertClients(), batch));
        this.rotations = db.statementBatcher("registrar-client-rotate", MAX_BATCH, sql -> batch -> rotateMany(sql.rotateClients(), batch));
    }

    @Override
    public boolean register(DynamicClient c, Consumption consumes, Instant now) {
        try {
            Jdbc.Work<Boolean> work = conn -> {
                if (consumes instanceof Consumption.DcrTokenUse(String consumeTokenHash)) {
                    // RFC 7591 is silent on token reuse; the seeds' DCR token is good for a configured
                    // number of registrations. The decrement and the insert commit together.
                    try (PreparedStatement ps = conn.prepareStatement("UPDATE access_tokens SET registrations_left = "
                            + "registrations_left - 1 WHERE token_hash = ? AND registrations_left > 0 AND expires_at > ?")) {
                        ps.setString(1, consumeTokenHash);
                        Jdbc.setInstant(ps, 2, now);
                        if (ps.executeUpdate() != 1) {
                            throw new Jdbc.Rollback();
                        }
                    }
                }
                try (PreparedStatement ps = conn.prepareStatement(insertSql)) {
                    int i = 1;
                    ps.setString(i++, c.clientId());
                    ps.setString(i++, c.origin().uniqueSoftwareId());
                    ps.setString(i++, c.status().dbValue());
                    i = bindMetadataAndCredentials(ps, i, c);
                    ps.setString(i++, c.registeredBy());
                    ps.setString(i++, c.registrantKind());
                    ps.setString(i++, c.authenticatedUser());
                    ps.setString(i++, c.templateId());
                    Jdbc.setInstant(ps, i++, c.createdAt());
                    Jdbc.setInstant(ps, i++, c.updatedAt());
                    ps.setString(i, storedOrigin(c));
                    ps.executeUpdate();
                } catch (SQLException e) {
                    // Only drc_unique_software_id can collide: client ids are random (CredentialIssuer).
                    if (UNIQUE_VIOLATION.equals(e.getSQLState()) && c.origin().uniqueSoftwareId() != null) {
                        throw new SoftwareIdTaken(c.origin().uniqueSoftwareId());
                    }
                    throw e;
                }
                return true;
            };
            // A registration that keeps its software_id unique may collide with another: it is not
            // batched, so that a collision fails it alone.
            if (!(consumes instanceof Consumption.Nothing) || c.origin().uniqueSoftwareId() != null) {
                return Jdbc.write(db, work);
            }
            // A registration that uses nothing up leaves the INSERT alone in its transaction,
            // so concurrent ones can share a statement.
            if (batcher != null) {
                batcher.submit(c);
                return true;
            }
            return Jdbc.writeStatement(db, work);
        } catch (Jdbc.Rollback used) {
            return false;
        }
    }

    @Override
    public Optional<DynamicClient> find(String clientId) {
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(SELECT + "WHERE c.client_id = ?")) {
                ps.setString(1, clientId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean update(DynamicClient c, String expectedTokenHash) {
        // Only a rotation can be batched: its new token hash is what tells the winner of a race.
        if (rotations != null && expectedTokenHash != null && !expectedTokenHash.equals(c.registrationTokenHash())) {
            return (Boolean) rotations.submit(new Rotation(c, expectedTokenHash));
        }
        return Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(expectedTokenHash == null ? updateUnconditionalSql : updateSql)) {
                int i = bindMetadataAndCredentials(ps, 1, c);
                RotationLeeway leeway = c.leeway();
                ps.setString(i++, leeway == null ? null : leeway.previousHash());
                Jdbc.setInstant(ps, i++, leeway == null ? null : leeway.until());
                ps.setString(i++, leeway == null ? null : leeway.pendingResponse());
                Jdbc.setInstant(ps, i++, c.updatedAt());
                ps.setString(i++, storedOrigin(c));
                ps.setString(i++, c.clientId());
                if (expectedTokenHash != null) {
                    ps.setString(i, expectedTokenHash);
                }
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<String> keptAnswer(String clientId, String previousTokenHash, Instant now) {
        // One statement is the check and the read: a rotation made with the new token commits either
        // before it (and this finds another previous_token_hash, or none) or after it.
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT pending_response FROM dynamically_registered_clients "
                    + "WHERE client_id = ? AND previous_token_hash = ? AND previous_token_until > ? AND status = ? "
                    + "AND pending_response IS NOT NULL")) {
                ps.setString(1, clientId);
                ps.setString(2, previousTokenHash);
                Jdbc.setInstant(ps, 3, now);
                ps.setString(4, ClientStatus.ACTIVE.dbValue());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public int forgetEndedLeeways(Instant now) {
        // No index covers previous_token_until (it would keep rotations from being heap-only updates),
        // so this reads the whole table; it runs only while a leeway is configured.
        return Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE dynamically_registered_clients SET previous_token_hash = NULL, "
                    + "previous_token_until = NULL, pending_response = NULL WHERE previous_token_until < ?")) {
                Jdbc.setInstant(ps, 1, now);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean delete(String clientId) {
        return Jdbc.write(db, conn -> {
            // RFC 7592 §2.3: the client and everything issued to it stop working, together.
            try (PreparedStatement tokens = conn.prepareStatement("DELETE FROM access_tokens WHERE client_id = ? AND dynamic_client = TRUE")) {
                tokens.setString(1, clientId);
                tokens.executeUpdate();
            }
            try (PreparedStatement refresh = conn.prepareStatement("DELETE FROM refresh_tokens WHERE client_id = ? AND dynamic_client = TRUE")) {
                refresh.setString(1, clientId);
                refresh.executeUpdate();
            }
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM dynamically_registered_clients WHERE client_id = ?")) {
                ps.setString(1, clientId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public java.util.List<DynamicClient> listByUser(String userId) {
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(SELECT + "WHERE c.authenticated_user = ? ORDER BY c.created_at, c.client_id")) {
                ps.setString(1, userId);
                java.util.List<DynamicClient> out = new java.util.ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean changeStatus(StatusChange change) {
        return Jdbc.write(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE dynamically_registered_clients SET status = ?, updated_at = ? WHERE client_id = ?")) {
                ps.setString(1, change.status().dbValue());
                Jdbc.setInstant(ps, 2, change.changedAt());
                ps.setString(3, change.clientId());
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO client_status_changes "
                    + "(change_id, client_id, status, actor, reason, changed_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, java.util.UUID.randomUUID().toString());
                ps.setString(2, change.clientId());
                ps.setString(3, change.status().dbValue());
                ps.setString(4, change.actor());
                ps.setString(5, change.reason());
                Jdbc.setInstant(ps, 6, change.changedAt());
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public java.util.List<StatusChange> statusHistory(String clientId) {
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT client_id, status, actor, reason, changed_at "
                    + "FROM client_status_changes WHERE client_id = ? ORDER BY changed_at, change_id")) {
                ps.setString(1, clientId);
                java.util.List<StatusChange> out = new java.util.ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StatusChange(rs.getString("client_id"), ClientStatus.fromDb(rs.getString("status")),
                                rs.getString("actor"), rs.getString("reason"), Jdbc.getInstant(rs, "changed_at")));
                    }
                }
                return out;
            }
        });
    }

    private Object[] rotateMany(String rotateMany, java.util.List<Rotation> batch) {
        String[][] columns = Jdbc.columns(batch.size(), i -> {
            DynamicClient c = batch.get(i).client();
            RotationLeeway leeway = c.leeway();
            return new String[] {c.clientId(), storedDocument(c), c.secretHash(), c.secretEncrypted(), Jdbc.text(c.secretExpiresAt()),
                    c.registrationTokenHash(), Jdbc.text(c.registrationTokenExpiresAt()), Jdbc.text(c.registrationTokenDeleteExpiresAt()),
                    leeway == null ? null : leeway.previousHash(), leeway == null ? null : Jdbc.text(leeway.until()),
                    leeway == null ? null : leeway.pendingResponse(), Jdbc.text(c.updatedAt()), batch.get(i).expectedTokenHash(),
                    storedOrigin(c)};
        });
        java.util.Set<String> applied = Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = Jdbc.prepareWithArrays(conn, rotateMany, columns)) {
                java.util.Set<String> hashes = new java.util.HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hashes.add(rs.getString(1));
                    }
                }
                return hashes;
            }
        });
        Object[] results = new Object[batch.size()];
        for (int i = 0; i < results.length; i++) {
            results[i] = applied.contains(batch.get(i).client().registrationTokenHash());
        }
        return results;
    }

    private Object[] insertMany(String insertMany, java.util.List<DynamicClient> clients) {
        String[][] columns = Jdbc.columns(clients.size(), i -> {
            DynamicClient c = clients.get(i);
            return new String[] {c.clientId(), c.status().dbValue(), storedDocument(c), c.secretHash(), c.secretEncrypted(),
                    Jdbc.text(c.secretExpiresAt()), c.registrationTokenHash(), Jdbc.text(c.registrationTokenExpiresAt()),
                    Jdbc.text(c.registrationTokenDeleteExpiresAt()), c.registeredBy(), c.registrantKind(), c.authenticatedUser(),
                    c.templateId(), Jdbc.text(c.createdAt()), Jdbc.text(c.updatedAt()), storedOrigin(c)};
        });
        Jdbc.writeStatement(db, conn -> {
            try (PreparedStatement ps = Jdbc.prepareWithArrays(conn, insertMany, columns)) {
                return ps.executeUpdate();
            }
        });
        return null;
    }

    /** A templatized client stores only its own values; the template's are joined in on read. */
    private static String storedDocument(DynamicClient c) {
        ClientMetadata stored = c.template() == null ? c.metadata() : TemplateOverlay.own(c.metadata(), c.template().metadata());
        return Json.write(stored.document());
    }

    /** The origin document, or NULL for a client registered with a bearer token alone and no statement. */
    private static String storedOrigin(DynamicClient c) {
        return c.origin().isNone() ? null : Json.write(c.origin().document());
    }

    private static RegistrationOrigin origin(ResultSet rs) throws SQLException {
        String document = rs.getString("origin");
        RegistrationOrigin origin = document == null ? RegistrationOrigin.NONE
                : RegistrationOrigin.fromDocument(Json.parseObject(document, OAuthError.SERVER_ERROR));
        String uniqueSoftwareId = rs.getString("unique_software_id");
        return uniqueSoftwareId == null ? origin : origin.withProfile(origin.profile(), uniqueSoftwareId);
    }

    /** Binds metadata, secret hash and expiry, token hash and both expiries from {@code i}; returns the next index. */
    private static int bindMetadataAndCredentials(PreparedStatement ps, int i, DynamicClient c) throws SQLException {
        ps.setString(i++, storedDocument(c));
        ps.setString(i++, c.secretHash());
        ps.setString(i++, c.secretEncrypted());
        Jdbc.setInstant(ps, i++, c.secretExpiresAt());
        ps.setString(i++, c.registrationTokenHash());
        Jdbc.setInstant(ps, i++, c.registrationTokenExpiresAt());
        Jdbc.setInstant(ps, i++, c.registrationTokenDeleteExpiresAt());
        return i;
    }

    /** The leeway of the client's last rotation, or null: none was kept, or only part of one was written. */
    private static RotationLeeway leeway(ResultSet rs) throws SQLException {
        String previous = rs.getString("previous_token_hash");
        Instant until = Jdbc.getInstant(rs, "previous_token_until");
        String pending = rs.getString("pending_response");
        return previous == null || until == null || pending == null ? null : new RotationLeeway(previous, until, pending);
    }

    private static DynamicClient read(ResultSet rs) throws SQLException {
        ClientMetadata metadata = new ClientMetadata(Json.parseObject(rs.getString("metadata"), OAuthError.SERVER_ERROR));
        ClientTemplate template = JdbcTemplateStore.readAsT(rs);
        if (template != null) {
            metadata = TemplateOverlay.apply(metadata, template.metadata());
        }
        return new DynamicClient(
                rs.getString("client_id"),
                ClientStatus.fromDb(rs.getString("status")),
                metadata,
                rs.getString("secret_hash"),
                rs.getString("secret_encrypted"),
                Jdbc.getInstant(rs, "secret_expires_at"),
                rs.getString("registration_token_hash"),
                Jdbc.getInstant(rs, "registration_token_expires_at"),
                Jdbc.getInstant(rs, "registration_token_delete_expires_at"),
                rs.getString("registered_by"),
                rs.getString("registrant_kind"),
                rs.getString("authenticated_user"),
                rs.getString("template_id"),
                Jdbc.getInstant(rs, "created_at"),
                Jdbc.getInstant(rs, "updated_at"),
                template,
                leeway(rs),
                origin(rs));
    }
}
