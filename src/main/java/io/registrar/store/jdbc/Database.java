package io.registrar.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.registrar.config.RegistrarConfig;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connection pool (HikariCP) and the schema ({@link Migrations}). Embedded H2
 * in the data folder by default; PostgreSQL by JDBC URL. Migrations run at start-up; Flyway's own
 * lock makes concurrent starts of several nodes safe.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final GroupCommit groupCommit;
    private final java.util.List<Batcher<?>> batchers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.groupCommit = dialect == Dialect.H2 ? new GroupCommit(this) : null;
    }

    public static Database open(RegistrarConfig.Storage storage) {
        String url = jdbcUrl(storage);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(blankToNull(storage.username()));
        hc.setPassword(blankToNull(storage.password()));
        hc.setMaximumPoolSize(storage.maxPoolSize());
        hc.setMinimumIdle(Math.min(2, storage.maxPoolSize()));
        hc.setAutoCommit(false);
        hc.setPoolName("registrar");
        hc.setConnectionTimeout(5_000);
        hc.setValidationTimeout(2_000);
        hc.setInitializationFailTimeout(10_000);
        Dialect dialect = Dialect.forUrl(url);
        if (dialect == Dialect.POSTGRESQL) {
            // Bounds every wait for PostgreSQL, so a server that hangs without closing the connection
            // fails requests instead of holding them (and the pool's connections) indefinitely. pgjdbc
            // drops the connection when it fires; Hikari replaces it. A socketTimeout in the URL wins.
            hc.addDataSourceProperty("socketTimeout", Long.toString(ceilSeconds(storage.queryTimeout())));
        }
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            // Flyway connects on its own, without the pool's socketTimeout: building an index on a
            // large table may rightly take longer than any request should wait.
            Migrations.migrate(ds, url, blankToNull(storage.username()), blankToNull(storage.password()), dialect);
            if (dialect == Dialect.H2) {
                // Every group commit ends with this sync, which a server-mode H2 allows only to admin
                // users: find out now, not on the first registration.
                try (Connection c = ds.getConnection()) {
                    GroupCommit.sync(c);
                } catch (SQLException e) {
                    throw new IllegalStateException("storage: cannot sync the H2 database to disk (its user needs admin rights): "
                            + e.getMessage(), e);
                }
            }
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, dialect);
    }

    private static long ceilSeconds(java.time.Duration d) {
        return (d.toMillis() + 999) / 1000;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * The embedded default. WRITE_DELAY=100: a commit is visible at once and H2's background writer
     * stores it within ~100 ms; durable writes do not wait for that, since {@link GroupCommit} stores
     * and syncs each of their batches before answering, so only what may be lost (access tokens under
     * storage.accessTokenCommit: asynchronous) rides on the writer. AUTO_COMPACT_FILL_RATE=0: no
     * compaction under load (it set p99). CACHE_SIZE (KB) bounds H2's page cache, which lives in the
     * heap. Measurements: docs/benchmarks.md, "Embedded H2".
     */
    static final String EMBEDDED_SETTINGS = ";WRITE_DELAY=100;AUTO_COMPACT_FILL_RATE=0;CACHE_SIZE=8192;DB_CLOSE_ON_EXIT=FALSE";

    /** The embedded database's name: H2 keeps it in {@code registrar.mv.db} in the data folder. */
    static final String EMBEDDED_NAME = "registrar";

    static String jdbcUrl(RegistrarConfig.Storage storage) {
        if (embedded(storage)) {
            Path file = Path.of(storage.dataDir()).toAbsolutePath().normalize().resolve(EMBEDDED_NAME);
            return "jdbc:h2:file:" + file + EMBEDDED_SETTINGS;
        }
        return storage.jdbcUrl();
    }

    /** Whether the storage is the embedded database in the data folder (no JDBC URL configured). */
    static boolean embedded(RegistrarConfig.Storage storage) {
        return storage.jdbcUrl() == null || storage.jdbcUrl().isBlank();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** The group committer for write transactions, or null where the database groups commits itself. */
    GroupCommit groupCommit() {
        return groupCommit;
    }

    /**
     * A {@link Batcher} that writes each batch with one statement of this dialect's {@link BatchStatements}
     * (retried item by item if it fails), whose writer thread stops, after finishing what is queued, when
     * the database closes. Null where the dialect has no batch statements (H2, whose group commit already
     * batches every write).
     */
    <I> Batcher<I> statementBatcher(String threadName, int maxBatch,
                                    java.util.function.Function<BatchStatements, Batcher.Statement<I>> statementOf) {
        if (dialect.batchStatements() == null) {
            return null;
        }
        Batcher.Statement<I> statement = statementOf.apply(dialect.batchStatements());
        Batcher<I> batcher = new Batcher<>(threadName, maxBatch, (items, results, failures) ->
                Batcher.oneStatementOrEachAlone(items, results, failures, statement));
        batchers.add(batcher);
        return batcher;
    }

    @Override
    public void close() {
        batchers.forEach(Batcher::close);
        if (groupCommit != null) {
            groupCommit.close();
        }
        dataSource.close();
    }
}
