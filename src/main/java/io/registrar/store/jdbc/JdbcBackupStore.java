package io.registrar.store.jdbc;

import io.registrar.store.Backup;
import io.registrar.store.BackupStore;
import io.registrar.store.StoreException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link BackupStore} on embedded H2: its online {@code BACKUP TO}, which flushes what is committed and
 * copies the file without locking anything (MVStore keeps the pages being copied from being reused), so
 * requests are served throughout. The zip is written to a file of its own in the data folder (room for
 * the database means room for its copy; the temporary folder may be a small tmpfs) and deleted once read.
 * PostgreSQL: none, its own tools do it better (pg_dump, base backups with WAL archiving).
 */
public final class JdbcBackupStore implements BackupStore {

    /** In-progress copies; one left by a process that died mid-copy is removed at the next start. */
    private static final String PREFIX = "backup-in-progress-";

    private final Database db;
    private final Path folder;

    public JdbcBackupStore(Database db, Path folder) {
        this.db = db;
        this.folder = folder.toAbsolutePath().normalize();
        if (db.dialect() == Dialect.H2) {
            deleteLeftovers();
        }
    }

    @Override
    public Optional<Backup> backup(Instant now) {
        if (db.dialect() != Dialect.H2) {
            return Optional.empty();
        }
        Path file;
        try {
            Files.createDirectories(folder);
            // Owner-only (0600 where POSIX): the copy holds the signing keys.
            file = Files.createTempFile(folder, PREFIX, ".zip");
        } catch (IOException e) {
            throw new StoreException("cannot create the backup file in " + folder + ": " + e.getMessage(), e);
        }
        try {
            // The path is ours (the data folder and a generated name), never the caller's; quoted as an SQL literal.
            String target = file.toString().replace("'", "''");
            Jdbc.read(db, c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("BACKUP TO '" + target + "'");
                }
            });
            return Optional.of(new Backup(now, Files.size(file), new DeletedOnClose(file)));
        } catch (IOException e) {
            deleteQuietly(file);
            throw new StoreException("cannot read the backup file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private void deleteLeftovers() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> old = Files.newDirectoryStream(folder, PREFIX + "*.zip")) {
            old.forEach(JdbcBackupStore::deleteQuietly);
        } catch (IOException e) {
            // removed at the next start that can list the folder
        }
    }

    /** Deletes a copy if it can; one it cannot is a stray file, removed at the next start or harmless. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // see above: nothing the caller could do better
        }
    }

    /** The copy's content; closing it deletes the file. */
    private static final class DeletedOnClose extends FilterInputStream {
        private final Path file;

        DeletedOnClose(Path file) throws IOException {
            super(Files.newInputStream(file));
            this.file = file;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                deleteQuietly(file);
            }
        }
    }
}
