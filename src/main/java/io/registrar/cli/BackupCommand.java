package io.registrar.cli;

import io.registrar.store.Backup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code registrar backup [--out FILE]}: a copy of the running server's embedded database, taken by the
 * server while it serves (POST /admin/backup, scope dcrm) and saved here. The server streams the zip
 * back and keeps nothing, so the command works the same on the server's machine and from anywhere else.
 */
@Command(name = "backup", description = "Copy the running server's embedded database into a zip file here, without stopping it.",
        footer = {"%nThe copy holds every client, token and key the server had when it was taken, the signing",
                "keys and generated hashing and encryption keys included: keep it as safe as those keys.",
                "registrar restore puts it back. PostgreSQL is backed up with pg_dump (docs/operating.md)."})
final class BackupCommand extends MainSubcommand {

    private static final Pattern FILE_NAME = Pattern.compile("filename=\"([^\"]*)\"");

    @Mixin
    ClientsCommand.Connection connection;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Where to save the zip (default: registrar-backup-<UTC time>.zip in this folder). Never overwritten.")
    Path out;

    @Override
    public Integer call() {
        return ClientsCommand.againstServer(main, connection, spec, "registrar backup", this::save);
    }

    private void save(ClientsCommand.AdminApi admin, PrintWriter printed) throws IOException, InterruptedException {
        if (out != null && Files.exists(out)) {
            throw new ClientsCommand.AdminApi.Refused(out + " exists: name another file with --out");
        }
        HttpResponse<InputStream> r = admin.download("/admin/backup");
        Path file = out != null ? out : Path.of(fileName(r.headers().firstValue("Content-Disposition").orElse(null), Instant.now()));
        long expected = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        Path part = null;
        long written;
        try (InputStream in = r.body()) {
            if (Files.exists(file)) {
                throw new ClientsCommand.AdminApi.Refused(file + " exists: name another file with --out");
            }
            // Beside the file, so that the final move is a rename; owner-only where POSIX, as the copy holds keys.
            part = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".part");
            try (OutputStream o = Files.newOutputStream(part, StandardOpenOption.WRITE)) {
                written = in.transferTo(o);
            }
            if (expected >= 0 && written != expected) {
                throw new IOException("the copy was cut short at " + written + " of " + expected + " bytes");
            }
            // Without REPLACE_EXISTING: a file that appeared meanwhile is not overwritten.
            Files.move(part, file);
        } finally {
            if (part != null) {
                Files.deleteIfExists(part);
            }
        }
        printed.println("saved " + file + ": " + written + " bytes, the database as of "
                + asOf(r.headers().firstValue("Last-Modified").orElse(null)));
    }

    /**
     * The name to save under when no --out is given: the server's (RFC 6266 Content-Disposition) only if it is
     * a name the server gives its backups, so that no other file here (a dotfile, a path) is created from a
     * header; else one of the same form for now.
     */
    static String fileName(String contentDisposition, Instant now) {
        if (contentDisposition != null) {
            Matcher m = FILE_NAME.matcher(contentDisposition);
            if (m.find() && Backup.isFileName(m.group(1))) {
                return m.group(1);
            }
        }
        return Backup.fileName(now);
    }

    /** When the copy was taken (RFC 9110 §8.8.2); the file is saved by then, so a date that does not parse is left out. */
    static String asOf(String lastModified) {
        if (lastModified != null) {
            try {
                return ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toString();
            } catch (DateTimeParseException e) {
                // fall through: the backup itself succeeded
            }
        }
        return "the time of the request";
    }
}
