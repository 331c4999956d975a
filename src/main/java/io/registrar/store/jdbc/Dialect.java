package io.registrar.store.jdbc;

import java.util.Map;

/** The few places where H2 and PostgreSQL differ: a JSON parameter, the schema's types and scripts, batch statements. */
public enum Dialect {
    H2("?", new String[] {"classpath:db/migration/common"}, Map.of("json_type", "VARCHAR", "text_type", "VARCHAR"), null),
    POSTGRESQL("CAST(? AS jsonb)", new String[] {"classpath:db/migration/common", "classpath:db/migration/postgresql-only"},
            Map.of("json_type", "JSONB", "text_type", "TEXT"), BatchStatements.POSTGRESQL);

    private final String jsonParameter;
    private final String[] migrationLocations;
    private final Map<String, String> schemaPlaceholders;
    private final BatchStatements batchStatements;

    Dialect(String jsonParameter, String[] migrationLocations, Map<String, String> schemaPlaceholders,
            BatchStatements batchStatements) {
        this.jsonParameter = jsonParameter;
        this.migrationLocations = migrationLocations;
        this.schemaPlaceholders = schemaPlaceholders;
        this.batchStatements = batchStatements;
    }

    /** Flyway's locations: the shared scripts, then any that only this database can run. */
    String[] migrationLocations() {
        return migrationLocations.clone();
    }

    /** The values of the shared scripts' placeholders (column types). */
    Map<String, String> schemaPlaceholders() {
        return schemaPlaceholders;
    }

    /** The statements that write a batch at once, or null where group commit does the batching (H2). */
    BatchStatements batchStatements() {
        return batchStatements;
    }

    /** How a JSON document is bound as a parameter (PostgreSQL needs the cast into jsonb). */
    public String jsonParameter() {
        return jsonParameter;
    }

    /** SQLSTATE 23505 is a unique violation on both databases. */
    public static boolean isUniqueViolation(java.sql.SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    static Dialect forUrl(String url) {
        return url.startsWith("jdbc:postgresql:") ? POSTGRESQL : H2;
    }
}
