package io.registrar.store.jdbc;

import io.registrar.metadata.ClientMetadata;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.store.ClientTemplate;
import io.registrar.store.TemplateStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link TemplateStore} on {@code client_templates}. */
public final class JdbcTemplateStore implements TemplateStore {

    /** The template's columns under the alias {@code t}, as the client query joins them. */
    static final String COLUMNS_AS_T = "t.template_id AS t_template_id, t.metadata AS t_metadata, "
            + "t.access_token_lifetime_secs AS t_access_secs, t.refresh_token_lifetime_secs AS t_refresh_secs, t.updated_at AS t_updated_at";

    private final Database db;

    public JdbcTemplateStore(Database db) {
        this.db = db;
    }

    @Override
    public void save(ClientTemplate t) {
        String json = db.dialect().jsonParameter();
        Jdbc.write(db, conn -> {
            int updated;
            try (PreparedStatement ps = conn.prepareStatement("UPDATE client_templates SET metadata = " + json
                    + ", access_token_lifetime_secs = ?, refresh_token_lifetime_secs = ?, updated_at = ? WHERE template_id = ?")) {
                bind(ps, t);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO client_templates (metadata, "
                        + "access_token_lifetime_secs, refresh_token_lifetime_secs, updated_at, template_id) VALUES (" + json + ", ?, ?, ?, ?)")) {
                    bind(ps, t);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private static void bind(PreparedStatement ps, ClientTemplate t) throws SQLException {
        ps.setString(1, Json.write(t.metadata().document()));
        setSeconds(ps, 2, t.accessTokenLifetime());
        setSeconds(ps, 3, t.refreshTokenLifetime());
        Jdbc.setInstant(ps, 4, t.updatedAt());
        ps.setString(5, t.templateId());
    }

    @Override
    public Optional<ClientTemplate> find(String templateId) {
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT " + COLUMNS_AS_T + " FROM client_templates t WHERE t.template_id = ?")) {
                ps.setString(1, templateId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(readAsT(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<ClientTemplate> list() {
        return Jdbc.read(db, conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT " + COLUMNS_AS_T + " FROM client_templates t ORDER BY t.template_id");
                 ResultSet rs = ps.executeQuery()) {
                List<ClientTemplate> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(readAsT(rs));
                }
                return out;
            }
        });
    }

    /** The template in the current row's {@link #COLUMNS_AS_T}, or null when the row has none (LEFT JOIN). */
    static ClientTemplate readAsT(ResultSet rs) throws SQLException {
        String id = rs.getString("t_template_id");
        if (id == null) {
            return null;
        }
        return new ClientTemplate(id, new ClientMetadata(Json.parseObject(rs.getString("t_metadata"), OAuthError.SERVER_ERROR)),
                seconds(rs, "t_access_secs"), seconds(rs, "t_refresh_secs"), Jdbc.getInstant(rs, "t_updated_at"));
    }

    private static void setSeconds(PreparedStatement ps, int i, Duration d) throws SQLException {
        if (d == null) {
            ps.setNull(i, java.sql.Types.BIGINT);
        } else {
            ps.setLong(i, d.toSeconds());
        }
    }

    private static Duration seconds(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofSeconds(v);
    }
}
