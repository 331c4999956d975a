package io.registrar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
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
final class BackupCommand implements Callable<Integer> {

    /** The file name the server proposes, if it is a plain name (a file here, never a path elsewhere). */
    private static final Pattern FILE_NAME = Pattern.compile("filename=\"([A-Za-z0-9._-]{1,100})\"");

    @Mixin
    ClientsCommand.Connection connection;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Where to save the zip (default: registrar-backup-<UTC time>.zip in this folder). Never overwritten.")
    Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        return ClientsCommand.againstServer(main, connection, spec, "registrar backup", this::save);
    }

    private void save(ClientsCommand.AdminApi admin, PrintWriter printed) throws IOException, InterruptedException {
        if (out != null && Files.exists(out)) {
            throw new ClientsCommand.AdminApi.Refused(out + " exists: name another file with --out");
        }
        HttpResponse<InputStream> r = admin.download("/admin/backup");
        Path file = out != null ? out : Path.of(r.headers().firstValue("Content-Disposition")
                .map(FILE_NAME::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse("registrar-backup.zip"));
        long expected = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        Path part = file.resolveSibling(file.getFileName() + ".part");
        long written;
        try (InputStream in = r.body()) {
            if (Files.exists(file)) {
                throw new ClientsCommand.AdminApi.Refused(file + " exists: name another file with --out");
            }
            Files.deleteIfExists(part);
            Files.createFile(part, ownerOnly());
            try (OutputStream o = Files.newOutputStream(part, StandardOpenOption.WRITE)) {
                written = in.transferTo(o);
            }
            if (expected >= 0 && written != expected) {
                throw new IOException("the copy was cut short at " + written + " of " + expected + " bytes");
            }
            // Without REPLACE_EXISTING: a file that appeared meanwhile is not overwritten.
            Files.move(part, file);
        } finally {
            Files.deleteIfExists(part);
        }
        String asOf = r.headers().firstValue("Last-Modified")
                .map(v -> ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
                .map(Instant::toString).orElse("the time of the request");
        printed.println("saved " + file + ": " + written + " bytes, the database as of " + asOf);
    }

    /** The copy holds keys: readable by its owner only, where the file system says who may read. */
    private static FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }
}
