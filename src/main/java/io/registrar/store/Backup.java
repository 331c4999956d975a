package io.registrar.store;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A consistent copy of the whole database, taken while it served: a zip of {@code size} bytes to read
 * once from {@code content}. It holds every write committed before {@code takenAt}, signing keys and
 * generated hashing and encryption keys included. Closing it releases the copy.
 */
public record Backup(Instant takenAt, long size, InputStream content) implements AutoCloseable {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** The name to save it under: registrar-backup-20261203T103000Z.zip (UTC), sorted by time. */
    public String fileName() {
        return "registrar-backup-" + STAMP.format(takenAt) + ".zip";
    }

    @Override
    public void close() throws IOException {
        content.close();
    }
}
