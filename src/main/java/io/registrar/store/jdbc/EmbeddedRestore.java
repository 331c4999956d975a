package io.registrar.store.jdbc;

import io.registrar.config.RegistrarConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Puts a backup ({@link JdbcBackupStore}'s zip) in place of the embedded database, with the server
 * stopped: a running server holds the file and its pages, and would go on writing over a file changed
 * under it. The backup is unpacked beside the database and opened read-only first, so a file that is not
 * a Registrar database is refused before anything changes; the database it replaces is renamed, never
 * deleted. Flyway migrates the restored schema at the next start, as after an upgrade.
 */
public final class EmbeddedRestore {

    private static final String SUFFIX = ".mv.db";
    private static final String FILE = Database.EMBEDDED_NAME + SUFFIX;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** What was done: the database now in place, the one it replaced (null: there was none), its clients. */
    public record Restored(Path database, Path previous, long clients) {
    }

    /** A restore that did not happen, with what the operator can do about it; the data folder is as it was. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private EmbeddedRestore() {
    }

    public static Restored restore(RegistrarConfig.Storage storage, Path zip, Instant now) {
        if (!Database.embedded(storage)) {
            throw new Refused("storage.jdbcUrl is set, so the database is not the embedded one: restore it with its own tools "
                    + "(PostgreSQL: pg_restore; docs/operating.md, \"Backups\")");
        }
        Path dir = Path.of(storage.dataDir()).toAbsolutePath().normalize();
        Path target = dir.resolve(FILE);
        String stamp = STAMP.format(now);
        // Named *.mv.db so that H2 opens it for the check; beside the target so that the final move is a rename.
        Path staging = dir.resolve(Database.EMBEDDED_NAME + "-restoring-" + stamp + SUFFIX);
        try {
            Files.createDirectories(dir);
            unpack(zip, staging);
            long clients = countClients(staging, storage);
            Path previous = replace(target, staging, dir.resolve(Database.EMBEDDED_NAME + "-before-restore-" + stamp + SUFFIX));
            return new Restored(target, previous, clients);
        } catch (IOException e) {
            throw new Refused("cannot restore into " + dir + ": " + e);
        } finally {
            try {
                Files.deleteIfExists(staging);
            } catch (IOException e) {
                // a stray copy beside the database, harmless
            }
        }
    }

    /** The database file of the zip, and only that entry, copied to {@code staging}. */
    private static void unpack(Path zip, Path staging) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry entry = z.getEntry(FILE);
            if (entry == null) {
                throw new Refused(zip + " is not a backup of Registrar's embedded database: it holds no " + FILE);
            }
            try (InputStream in = z.getInputStream(entry)) {
                Files.copy(in, staging);
            }
        } catch (NoSuchFileException e) {
            throw new Refused("no such file: " + zip);
        } catch (ZipException e) {
            throw new Refused(zip + " is not a zip file (" + e.getMessage() + ")");
        }
    }

    /** Opens the unpacked database read-only: the backup must be a Registrar database that H2 can read. */
    private static long countClients(Path staging, RegistrarConfig.Storage storage) {
        String base = staging.toString().substring(0, staging.toString().length() - SUFFIX.length());
        Properties credentials = new Properties();
        credentials.setProperty("user", storage.username() == null ? "" : storage.username());
        credentials.setProperty("password", storage.password() == null ? "" : storage.password());
        try (Connection c = org.h2.Driver.load().connect("jdbc:h2:file:" + base + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE", credentials);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dynamically_registered_clients")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new Refused("the backup does not hold a Registrar database that opens: " + e.getMessage());
        }
    }

    /**
     * Renames the current database aside and moves the restored one in. The rename happens under the
     * lock H2 holds on a database in use, so a running server is found here and nothing is touched.
     */
    private static Path replace(Path target, Path staging, Path aside) throws IOException {
        Path previous = null;
        if (Files.exists(target)) {
            try (FileChannel file = FileChannel.open(target, StandardOpenOption.WRITE)) {
                FileLock lock;
                try {
                    lock = file.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held by this very process (a server started in it)
                }
                if (lock == null) {
                    throw new Refused("the database " + target + " is in use: stop the server first (it holds the file, "
                            + "and would write over the restored one)");
                }
                Files.move(target, aside);
                previous = aside;
            }
        }
        try {
            // Without REPLACE_EXISTING: should a server have created a new database meanwhile, fail rather than pull it away.
            Files.move(staging, target);
        } catch (IOException e) {
            if (previous != null) {
                Files.move(previous, target);
            }
            throw e;
        }
        return previous;
    }
}
