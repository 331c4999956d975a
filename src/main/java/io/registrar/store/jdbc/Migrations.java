package io.registrar.store.jdbc;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The schema, migrated by Flyway from one set of scripts ({@code db/migration/common}) in which
 * placeholders name the column types that differ, plus the few scripts only PostgreSQL can run
 * ({@code db/migration/postgresql-only}: partial indexes, fillfactor; a folder name of its own, so that
 * the old copies a build directory may still hold in db/migration/postgresql are not read).
 *
 * <p>Until this layout, each database had its own copy of V1, V2, V3 and V5, and databases created then
 * record those copies' checksums. Flyway checksums a script's text before it replaces placeholders, so
 * the shared scripts have checksums of their own even where the SQL they run is the same. A database
 * whose history holds exactly the old checksum of its dialect's copy gets the new one written over it,
 * and only then: any other mismatch still fails validation, as Flyway intends.
 *
 * <p>A start whose database already holds every shipped script, applied with the checksum it ships
 * with, does not start Flyway at all: scanning the class path for scripts, parsing and validating
 * them loads some 400 classes and took a few hundred milliseconds of a cold start's two cores, to
 * conclude that there is nothing to do.
 */
final class Migrations {

    /** Flyway's checksum of each shared script, as shipped. {@code MigrationsTest} checks them against the files. */
    static final Map<String, Integer> CHECKSUMS = Map.ofEntries(Map.entry("1", -664898808), Map.entry("2", 962341638),
            Map.entry("3", 1278470429), Map.entry("5", -2035307581), Map.entry("7", 647439529), Map.entry("8", -1816334868),
            Map.entry("9", 1395111581), Map.entry("10", -1889094268), Map.entry("11", 753753562));

    /** The checksums the per-database copies had, by dialect; their content was the shared scripts' SQL. */
    static final Map<Dialect, Map<String, Integer>> LEGACY_CHECKSUMS = Map.of(
            Dialect.H2, Map.of("1", 138578767, "2", 1154631185, "3", 1487913660, "5", -1389127324),
            Dialect.POSTGRESQL, Map.of("1", -1504890216, "2", -1685173250, "3", -7813794, "5", 1909703015));

    /** Flyway's checksum of each script only PostgreSQL runs, as shipped ({@code MigrationsTest} checks them too). */
    static final Map<String, Integer> POSTGRESQL_ONLY_CHECKSUMS = Map.of("4", -1852889356, "6", 1125513530);

    private Migrations() {
    }

    /** Brings the schema up to date: at once when its history says it is, else by Flyway. */
    static void migrate(DataSource pool, String url, String username, String password, Dialect dialect) {
        if (upToDate(pool, dialect)) {
            return;
        }
        migrate(url, username, password, dialect);
    }

    /** Every script {@code dialect} runs, by version, with Flyway's checksum of it. */
    static Map<String, Integer> shipped(Dialect dialect) {
        Map<String, Integer> scripts = new HashMap<>(CHECKSUMS);
        if (dialect == Dialect.POSTGRESQL) {
            scripts.putAll(POSTGRESQL_ONLY_CHECKSUMS);
        }
        return scripts;
    }

    /**
     * Whether Flyway's history holds exactly the shipped scripts, each applied successfully with the
     * checksum it ships with. Anything else - no history yet (a new database), a failed or pending
     * script, a baseline, a version this release does not know (a newer node ran first), a checksum of
     * the old per-database copies or one that matches nothing - is Flyway's to migrate or refuse.
     */
    static boolean upToDate(DataSource pool, Dialect dialect) {
        Map<String, Integer> applied = new HashMap<>();
        try (Connection c = pool.getConnection()) {
            // Flyway keeps its history in the connection's current schema; unqualified, PostgreSQL
            // would look along the whole search_path and could find another installation's.
            String schema = c.getSchema();
            if (schema == null) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT \"version\", \"type\", \"checksum\", \"success\" FROM \""
                    + schema.replace("\"", "\"\"") + "\".\"flyway_schema_history\"");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String version = rs.getString(1);
                    String type = rs.getString(2);
                    int checksum = rs.getInt(3);
                    boolean hasChecksum = !rs.wasNull();
                    if (version == null && ("TABLE".equals(type) || "SCHEMA".equals(type))) {
                        continue; // Flyway's note that it created its history table (or the schema)
                    }
                    if (version == null || !"SQL".equals(type) || !hasChecksum || !rs.getBoolean(4) || applied.put(version, checksum) != null) {
                        return false;
                    }
                }
            }
        } catch (SQLException noHistoryYet) {
            return false;
        }
        return applied.equals(shipped(dialect));
    }

    private static void migrate(String url, String username, String password, Dialect dialect) {
        Flyway flyway = Flyway.configure()
                .dataSource(url, username, password)
                .locations(dialect.migrationLocations())
                .placeholders(dialect.schemaPlaceholders())
                .load();
        try {
            flyway.migrate();
        } catch (FlywayValidateException e) {
            if (adoptLegacyChecksums(url, username, password, dialect, flyway.getConfiguration().getTable()) == 0) {
                throw e;
            }
            flyway.migrate();
        }
    }

    /** Rewrites the history's legacy checksums of the shared scripts; returns how many rows it changed. */
    private static int adoptLegacyChecksums(String url, String username, String password, Dialect dialect, String table) {
        try (Connection c = DriverManager.getConnection(url, username, password)) {
            c.setAutoCommit(false);
            int changed = 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE \"" + table + "\" SET \"checksum\" = ? WHERE \"version\" = ? AND \"checksum\" = ?")) {
                for (Map.Entry<String, Integer> legacy : LEGACY_CHECKSUMS.get(dialect).entrySet()) {
                    ps.setInt(1, CHECKSUMS.get(legacy.getKey()));
                    ps.setString(2, legacy.getKey());
                    ps.setInt(3, legacy.getValue());
                    changed += ps.executeUpdate();
                }
            }
            c.commit();
            return changed;
        } catch (SQLException e) {
            throw new IllegalStateException("storage: cannot update Flyway's schema history: " + e.getMessage(), e);
        }
    }
}
