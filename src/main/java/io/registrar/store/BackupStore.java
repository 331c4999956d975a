package io.registrar.store;

import java.time.Instant;
import java.util.Optional;

/** Copies of the database taken while the server runs. */
public interface BackupStore {

    /**
     * A copy holding at least everything committed before {@code now} (the time it is named by), taken without stopping writes; empty when
     * this database is backed up by its own tools (PostgreSQL: pg_dump or base backups), not by the server.
     */
    Optional<Backup> backup(Instant now);
}
