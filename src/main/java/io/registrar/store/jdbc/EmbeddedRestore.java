package io.registrar.store.jdbc;

import io.registrar.config.RegistrarConfig;
import io.registrar.store.Backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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

    /** What was done: the database now in place, the one it replaced (null: there was none), its clients. */
    public record Restored(Path database, Path previous, long clients) {
    }

    /**
     * A restore that did not happen, with what the operator can do about it. The data folder is as it was,
     * unless the message says otherwise: then it names where the database that was in place is kept.
     */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            this(message, null);
        }

        Refused(String message, Throwable cause) {
            super(message, cause, false, false);
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
        Path staging = null;
        try {
            Files.createDirectories(dir);
            // Named *.mv.db so that H2 opens it for the check; beside the target so that the final move is a rename;
            // a name of its own (owner-only where POSIX), so that a concurrent restore never deletes this one's copy.
            staging = Files.createTempFile(dir, Database.EMBEDDED_NAME + "-restoring-", SUFFIX);
            unpack(zip, staging);
            long clients = countClients(staging, storage);
            Path aside = dir.resolve(Database.EMBEDDED_NAME + "-before-restore-" + Backup.stamp(now) + SUFFIX);
            Path previous = replace(target, staging, aside);
            return new Restored(target, previous, clients);
        } catch (IOException e) {
            throw new Refused("cannot restore into " + dir + ": " + e);
        } finally {
            if (staging != null) {
                JdbcBackupStore.deleteQuietly(staging); // else a stray copy beside the database, harmless
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
                Files.copy(in, staging, StandardCopyOption.REPLACE_EXISTING); // the empty file created for it
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
                try {
                    Files.move(previous, target);
                } catch (IOException rollback) {
                    e.addSuppressed(rollback);
                    throw new Refused("cannot move the restored database into " + target + " (" + e + "), nor the one it "
                            + "replaced back (" + rollback + "): that database is kept as " + previous
                            + "; stop whatever created " + target + " and move it back by hand", e);
                }
            }
            throw e;
        }
        return previous;
    }
}
