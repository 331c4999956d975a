package io.registrar.store.jdbc;

import io.registrar.config.RegistrarConfig;
import io.registrar.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.exception.FlywayValidateException;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One set of migration scripts for both databases, and databases created with the old per-database
 * copies (kept byte for byte in test resources, db/legacy-migration) still start.
 */
class MigrationsTest {

    @ParameterizedTest
    @EnumSource(value = Dialect.class)
    void theRecordedChecksumsAreTheScriptsAsShipped(Dialect dialect) {
        // Flyway only reads the scripts here (info runs none), so an in-memory H2 serves for both.
        Flyway flyway = Flyway.configure().dataSource("jdbc:h2:mem:checksums", "sa", null)
                .locations(dialect.migrationLocations()).placeholders(dialect.schemaPlaceholders()).load();
        Map<String, Integer> resolved = new HashMap<>();
        for (MigrationInfo pending : flyway.info().pending()) {
            resolved.put(pending.getVersion().getVersion(), pending.getChecksum());
        }
        assertEquals(Migrations.shipped(dialect), resolved, "an applied migration was edited, or Migrations' checksums are stale");
    }

    /**
     * The start that skips Flyway does so only on a history that is exactly the shipped scripts, applied;
     * every other history goes to Flyway, and the database still opens (or is refused) as Flyway decides.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void onlyAnExactlyCurrentHistorySkipsFlyway(TestDatabase store) throws SQLException {
        RegistrarConfig.Storage storage = store.newStorage();
        Dialect dialect;
        try (Database db = Database.open(storage)) {
            dialect = db.dialect();
            assertFalse(Migrations.upToDate(new DriverManagerSource(storage), Dialect.H2 == dialect ? Dialect.POSTGRESQL : Dialect.H2),
                    "the other database's scripts are not this one's");
        }
        DriverManagerSource source = new DriverManagerSource(storage);
        assertTrue(Migrations.upToDate(source, dialect), "a database just migrated is current");

        execute(storage, "INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", \"script\", "
                + "\"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (99, '99', 'from a newer release', 'SQL', "
                + "'V99__from_a_newer_release.sql', 1, 'test', 0, TRUE)");
        assertFalse(Migrations.upToDate(source, dialect), "a version this release does not ship is Flyway's to judge");
        Database.open(storage).close(); // Flyway ignores a future migration, as it did before
        execute(storage, "DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '99'");
        assertTrue(Migrations.upToDate(source, dialect));

        execute(storage, "UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '11'");
        assertFalse(Migrations.upToDate(source, dialect), "a failed script is Flyway's to report");
        execute(storage, "UPDATE \"flyway_schema_history\" SET \"success\" = TRUE, \"checksum\" = 42 WHERE \"version\" = '11'");
        assertFalse(Migrations.upToDate(source, dialect), "an edited script is Flyway's to refuse");
        assertInstanceOf(FlywayValidateException.class, assertThrows(RuntimeException.class, () -> Database.open(storage).close()));

        execute(storage, "DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '11'");
        assertFalse(Migrations.upToDate(source, dialect), "a shipped script not applied yet (an upgrade) is Flyway's to run");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aNewDatabaseIsNotCurrent(TestDatabase store) {
        RegistrarConfig.Storage storage = store.newStorage();
        assertFalse(Migrations.upToDate(new DriverManagerSource(storage), Dialect.forUrl(Database.jdbcUrl(storage))));
    }

    /** Connections straight from the driver, as many as asked: the test needs no pool. */
    private record DriverManagerSource(RegistrarConfig.Storage storage) implements javax.sql.DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return connect(storage);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return connect(storage);
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
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
        // PostgreSQL's own scripts were not copies and keep their checksums.
        return Migrations.shipped(dialect);
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
