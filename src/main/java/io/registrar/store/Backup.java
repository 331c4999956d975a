package io.registrar.store;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * A consistent copy of the whole database, taken while it served: a zip of {@code size} bytes to read
 * once from {@code content}. It holds every write committed before {@code takenAt}, signing keys and
 * generated hashing and encryption keys included. Closing it releases the copy.
 */
public record Backup(Instant takenAt, long size, InputStream content) implements AutoCloseable {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern FILE_NAME = Pattern.compile("registrar-backup-\\d{8}T\\d{6}Z\\.zip");

    /** The name to save it under: registrar-backup-20261203T103000Z.zip (UTC), sorted by time. */
    public String fileName() {
        return fileName(takenAt);
    }

    /** The name of a backup taken at {@code time}, as {@link #fileName()} gives it. */
    public static String fileName(Instant time) {
        return "registrar-backup-" + stamp(time) + ".zip";
    }

    /** Whether {@code name} is one {@link #fileName()} gives: a plain name, never a path or a dotfile. */
    public static boolean isFileName(String name) {
        return FILE_NAME.matcher(name).matches();
    }

    /** {@code time} to the second in UTC, as in file names: 20261203T103000Z. */
    public static String stamp(Instant time) {
        return STAMP.format(time);
    }

    @Override
    public void close() throws IOException {
        content.close();
    }
}
