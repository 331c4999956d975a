package io.registrar.store.jdbc;

/** The few places where H2 and PostgreSQL SQL differ. */
public enum Dialect {
    H2("?", "h2"),
    POSTGRESQL("CAST(? AS jsonb)", "postgresql");

    private final String jsonParameter;
    private final String migrationFolder;

    Dialect(String jsonParameter, String migrationFolder) {
        this.jsonParameter = jsonParameter;
        this.migrationFolder = migrationFolder;
    }

    /** The Flyway folder under db/migration with this database's flavour of the schema. */
    public String migrationFolder() {
        return migrationFolder;
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
