package io.registrar.store.jdbc;

import io.registrar.config.RegistrarConfig;
import io.registrar.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One set of migration scripts for both databases, and databases created with the old per-database
 * copies (kept byte for byte in test resources, db/legacy-migration) still start.
 */
class MigrationsTest {

    @Test
    void theRecordedChecksumsAreTheScriptsAsShipped() {
        Flyway flyway = Flyway.configure().dataSource("jdbc:h2:mem:checksums", "sa", null)
                .locations(Dialect.H2.migrationLocations()).placeholders(Dialect.H2.schemaPlaceholders()).load();
        Map<String, Integer> resolved = new HashMap<>();
        for (MigrationInfo pending : flyway.info().pending()) {
            resolved.put(pending.getVersion().getVersion(), pending.getChecksum());
        }
        assertEquals(Migrations.CHECKSUMS, resolved, "an applied migration was edited, or Migrations.CHECKSUMS is stale");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aDatabaseMigratedByThePerDatabaseScriptsStartsAndKeepsItsData(TestDatabase store) throws SQLException {
        RegistrarConfig.Storage storage = store.newStorage();
        Dialect dialect = migrateWithLegacyScripts(storage);
        execute(storage, "INSERT INTO server_state (name, state_value, created_at) VALUES ('kept', 'value', CURRENT_TIMESTAMP)");

        try (Database db = Database.open(storage); Connection c = db.connection();
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT state_value FROM server_state WHERE name = 'kept'")) {
            assertTrue(rs.next());
            assertEquals("value", rs.getString(1));
        }
        assertEquals(expectedHistory(dialect), history(storage), "the shared scripts' checksums replaced the old copies'");
        try (Database again = Database.open(storage)) {
            assertEquals(dialect, again.dialect());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aChecksumThatIsNoKnownScriptStillFailsValidation(TestDatabase store) throws SQLException {
        RegistrarConfig.Storage storage = store.newStorage();
        migrateWithLegacyScripts(storage);
        execute(storage, "UPDATE \"flyway_schema_history\" SET \"checksum\" = 42 WHERE \"version\" = '2'");

        RuntimeException e = assertThrows(RuntimeException.class, () -> Database.open(storage).close());
        assertInstanceOf(FlywayValidateException.class, e);
    }

    private static Dialect migrateWithLegacyScripts(RegistrarConfig.Storage storage) {
        String url = Database.jdbcUrl(storage);
        Dialect dialect = Dialect.forUrl(url);
        Flyway.configure().dataSource(url, blank(storage.username()), blank(storage.password()))
                .locations("classpath:db/legacy-migration/" + (dialect == Dialect.H2 ? "h2" : "postgresql"))
                .load().migrate();
        return dialect;
    }

    private static Map<String, Integer> expectedHistory(Dialect dialect) {
        Map<String, Integer> expected = new HashMap<>(Migrations.CHECKSUMS);
        if (dialect == Dialect.POSTGRESQL) {
            // PostgreSQL's own scripts were not copies and keep their checksums.
            expected.put("4", -1852889356);
            expected.put("6", 1125513530);
        }
        return expected;
    }

    private static Map<String, Integer> history(RegistrarConfig.Storage storage) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = connect(storage); PreparedStatement ps = c.prepareStatement(
                "SELECT \"version\", \"checksum\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        }
        return out;
    }

    private static void execute(RegistrarConfig.Storage storage, String sql) throws SQLException {
        try (Connection c = connect(storage); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static Connection connect(RegistrarConfig.Storage storage) throws SQLException {
        return DriverManager.getConnection(Database.jdbcUrl(storage), blank(storage.username()), blank(storage.password()));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
