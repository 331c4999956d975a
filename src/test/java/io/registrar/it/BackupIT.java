package io.registrar.it;

import io.registrar.cli.Main;
import io.registrar.config.ConfigLoader;
import io.registrar.config.RegistrarConfig;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups of the embedded database (issue 21 §7): {@code registrar backup} against a server under load,
 * {@code registrar restore} into a fresh data folder and over an existing one, and what is refused:
 * a caller without a dcrm token, a restore while the server runs or of a file that is no backup, and
 * a backup of PostgreSQL, which has its own tools.
 */
class BackupIT {

    /** One dcr token registers any number of clients, so the load is registrations and nothing else. */
    private static final String REUSABLE_DCR_TOKEN = "registration:\n  initialTokenUses: 0\n";
    private static final String CLIENT = "{\"client_name\":\"Kiosk\",\"grant_types\":[\"client_credentials\"],\"scope\":\"api\"}";

    record Run(int code, String out, String err) {
    }

    record Registered(String clientId, String registrationAccessToken) {
        static Registered of(Response r) {
            return new Registered(r.string("client_id"), r.string("registration_access_token"));
        }

        String path() {
            return "/register/" + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
        }
    }

    private static Run cli(RegistrarConfig config, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run((demo, file) -> config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run backup(TestServer server, Path zip) {
        return cli(server.config, "backup", "--server", server.issuer(), "--out", zip.toString());
    }

    private static RegistrarConfig config(String storageYaml) {
        return new ConfigLoader().load(List.of(TestServer.BASE, storageYaml), Map.of());
    }

    @Test
    void aBackupUnderLoadRestoresIntoAFreshServerWithEveryClientAcknowledgedBeforeIt() throws Exception {
        Path zip = TestDatabase.tempDir().resolve("backup.zip");
        List<Registered> acknowledgedBeforeBackup;
        int acknowledgedAfterBackup;
        try (TestServer server = TestServer.start(TestDatabase.H2, REUSABLE_DCR_TOKEN)) {
            String dcr = server.http.dcrToken();
            List<Registered> acknowledged = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            ExecutorService load = Executors.newFixedThreadPool(4);
            for (int i = 0; i < 4; i++) {
                load.submit(() -> {
                    while (!stop.get()) {
                        Response r = server.http.postJson("/register", dcr, CLIENT);
                        if (r.status() != 201) {
                            failure.compareAndSet(null, r.status() + " " + r.body());
                            return;
                        }
                        acknowledged.add(Registered.of(r));
                    }
                });
            }
            try {
                awaitSize(acknowledged, 200, failure);
                // Every registration answered 201 before the backup is asked for.
                acknowledgedBeforeBackup = List.copyOf(acknowledged);
                Run backup = backup(server, zip);
                assertEquals(0, backup.code(), backup.err());
                assertTrue(backup.out().startsWith("saved " + zip + ": "), backup.out());
                assertTrue(backup.out().matches("(?s).*bytes, the database as of \\d{4}-\\d\\d-\\d\\dT.*"), backup.out());
                acknowledgedAfterBackup = acknowledged.size();
                // The load outlives the backup: it ran before, during and after the copy.
                awaitSize(acknowledged, acknowledgedAfterBackup + 50, failure);
            } finally {
                stop.set(true);
                load.shutdown();
                assertTrue(load.awaitTermination(30, TimeUnit.SECONDS));
            }
            assertNull(failure.get(), failure.get());
        }

        Path fresh = TestDatabase.tempDir().resolve("restored");
        String storage = TestDatabase.H2.newStorageYaml(fresh);
        Run restore = cli(config(storage), "restore", zip.toString());
        assertEquals(0, restore.code(), restore.err());
        Matcher restored = Pattern.compile("restored .* into .*registrar\\.mv\\.db: (\\d+) dynamic clients").matcher(restore.out());
        assertTrue(restored.find(), restore.out());
        long clients = Long.parseLong(restored.group(1));
        assertTrue(clients >= acknowledgedBeforeBackup.size() && clients <= acknowledgedAfterBackup + 4,
                () -> clients + " clients restored; " + acknowledgedBeforeBackup.size() + " acknowledged before the backup");
        assertFalse(restore.out().contains("replaced"), "a fresh folder has no database to keep aside: " + restore.out());

        try (TestServer server = TestServer.start(storage, REUSABLE_DCR_TOKEN)) {
            assertEquals("UP", server.http.get("/health/ready", null).string("status"));
            for (Registered c : acknowledgedBeforeBackup) {
                // With the registration access token it was given: the hashing key came back with the clients.
                Response read = server.http.get(c.path(), c.registrationAccessToken());
                assertEquals(200, read.status(), () -> c.clientId() + ": " + read.body());
                assertEquals(c.clientId(), read.string("client_id"));
            }
            // Its token and signing keys work too, and it takes new registrations.
            Registered newcomer = Registered.of(server.http.register(CLIENT));
            assertEquals(200, server.http.get(newcomer.path(), newcomer.registrationAccessToken()).status());
        }
    }

    @Test
    void restoreRefusesARunningServerAndKeepsTheDatabaseItReplacesAside() throws Exception {
        Path dataDir = TestDatabase.tempDir();
        String storage = TestDatabase.H2.newStorageYaml(dataDir);
        Path zip = TestDatabase.tempDir().resolve("backup.zip");
        Registered kept;
        Registered afterBackup;
        try (TestServer server = TestServer.start(storage)) {
            kept = Registered.of(server.http.register(CLIENT));
            assertEquals(0, backup(server, zip).code());
            afterBackup = Registered.of(server.http.register(CLIENT));

            Run refused = cli(server.config, "restore", zip.toString());
            assertEquals(1, refused.code(), refused.out());
            assertEquals(1, refused.err().strip().lines().count(), refused.err());
            assertTrue(refused.err().contains("is in use: stop the server first"), refused.err());
            assertEquals(List.of("registrar.mv.db"), databases(dataDir));
            assertEquals(200, server.http.get("/admin/clients/" + afterBackup.clientId(), server.http.adminToken()).status());
        }

        Run restore = cli(config(storage), "restore", zip.toString());
        assertEquals(0, restore.code(), restore.err());
        assertTrue(restore.out().contains(": 1 dynamic client\n"), restore.out());
        List<String> files = databases(dataDir);
        assertEquals(2, files.size(), files::toString);
        assertTrue(files.get(0).matches("registrar-before-restore-\\d{8}T\\d{6}Z\\.mv\\.db"), files::toString);
        assertTrue(restore.out().contains("the database it replaced is kept as " + dataDir.resolve(files.get(0))), restore.out());

        try (TestServer server = TestServer.start(storage)) {
            assertEquals(200, server.http.get(kept.path(), kept.registrationAccessToken()).status());
            // Registered after the backup: gone with the database it was in, which is kept aside.
            server.http.get(afterBackup.path(), afterBackup.registrationAccessToken()).assertError(401, "invalid_token");
        }
    }

    @Test
    void theBackupEndpointNeedsADcrmTokenAndLeavesNoCopyBehind() throws Exception {
        Path dataDir = TestDatabase.tempDir();
        // A copy left by a server that died while writing it is removed at start.
        Path leftover = Files.writeString(dataDir.resolve("backup-in-progress-123.zip"), "half a copy");
        try (TestServer server = TestServer.start(TestDatabase.H2.newStorageYaml(dataDir))) {
            assertFalse(Files.exists(leftover));

            Response none = server.http.send("POST", "/admin/backup", Map.of(), null);
            assertEquals(401, none.status());
            assertEquals("Bearer realm=\"registrar\"", none.header("WWW-Authenticate"));
            server.http.send("POST", "/admin/backup", Map.of("Authorization", "Bearer not-a-token"), null)
                    .assertError(401, "invalid_token");
            server.http.send("POST", "/admin/backup", Map.of("Authorization", "Bearer " + server.http.dcrToken()), null)
                    .assertError(403, "insufficient_scope");
            server.http.get("/admin/backup", server.http.adminToken()).assertError(405, "invalid_request");

            Response ok = server.http.send("POST", "/admin/backup", Map.of("Authorization", "Bearer " + server.http.adminToken()), null);
            assertEquals(200, ok.status());
            assertEquals("application/zip", ok.header("Content-Type"));
            assertEquals("no-store", ok.header("Cache-Control"));
            assertTrue(ok.header("Content-Disposition").matches("attachment; filename=\"registrar-backup-\\d{8}T\\d{6}Z\\.zip\""),
                    ok.header("Content-Disposition"));
            assertNotNull(ok.header("Last-Modified"));
            awaitNoCopyIn(dataDir);

            // The command saves the zip with the server's name for it, here, and never over a file.
            Path here = TestDatabase.tempDir();
            Run named = cli(server.config, "backup", "--server", server.issuer(), "--out", here.resolve("b.zip").toString());
            assertEquals(0, named.code(), named.err());
            try (ZipFile z = new ZipFile(here.resolve("b.zip").toFile())) {
                assertNotNull(z.getEntry("registrar.mv.db"));
            }
            if (Files.getFileStore(here).supportsFileAttributeView("posix")) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(here.resolve("b.zip"))));
            }
            Run again = cli(server.config, "backup", "--server", server.issuer(), "--out", here.resolve("b.zip").toString());
            assertEquals(1, again.code());
            assertTrue(again.err().contains("exists"), again.err());
            awaitNoCopyIn(dataDir);
        }
    }

    @Test
    void aFileThatIsNoBackupIsRefusedAndNothingChanges() throws Exception {
        Path dataDir = TestDatabase.tempDir().resolve("data");
        RegistrarConfig config = config(TestDatabase.H2.newStorageYaml(dataDir));
        Path folder = TestDatabase.tempDir();

        Path text = Files.writeString(folder.resolve("notes.zip"), "not a zip");
        Path otherZip = folder.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(otherZip))) {
            z.putNextEntry(new ZipEntry("../registrar.mv.db.txt"));
            z.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        Path notRegistrar = folder.resolve("h2.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(notRegistrar))) {
            z.putNextEntry(new ZipEntry("registrar.mv.db"));
            z.write(new byte[8192]);
        }
        Map<Path, String> expected = Map.of(text, "is not a zip file", otherZip, "holds no registrar.mv.db",
                notRegistrar, "does not hold a Registrar database", folder.resolve("missing.zip"), "no such file");
        for (var e : expected.entrySet()) {
            Run r = cli(config, "restore", e.getKey().toString());
            assertEquals(1, r.code(), r.out());
            assertTrue(r.err().startsWith("registrar restore: ") && r.err().contains(e.getValue()), r.err());
            assertEquals(List.of(), databases(dataDir));
        }
    }

    @Test
    void postgresIsBackedUpWithItsOwnTools() throws Exception {
        try (TestServer server = TestServer.start(TestDatabase.POSTGRES)) {
            Response r = server.http.send("POST", "/admin/backup", Map.of("Authorization", "Bearer " + server.http.adminToken()), null)
                    .assertError(400, "invalid_request");
            assertTrue(r.string("error_description").contains("pg_dump"), r.body());

            Path zip = TestDatabase.tempDir().resolve("backup.zip");
            Run backup = backup(server, zip);
            assertEquals(1, backup.code());
            assertTrue(backup.err().contains("pg_dump"), backup.err());
            assertFalse(Files.exists(zip));

            Run restore = cli(server.config, "restore", zip.toString());
            assertEquals(1, restore.code());
            assertTrue(restore.err().contains("pg_restore"), restore.err());
        }
    }

    private static void awaitSize(List<?> list, int size, AtomicReference<String> failure) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (list.size() < size && failure.get() == null) {
            assertTrue(System.nanoTime() < deadline, "the load did not reach " + size + " registrations");
            Thread.sleep(10);
        }
        assertNull(failure.get(), failure.get());
    }

    /** The H2 database files in {@code dir}, sorted. */
    private static List<String> databases(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mv.db")).sorted().toList();
        }
    }

    /** The server deletes its copy once the last byte is written, which may be just after the client has it. */
    private static void awaitNoCopyIn(Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<String> copies;
            try (Stream<Path> files = Files.list(dir)) {
                copies = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("backup-in-progress-")).toList();
            }
            if (copies.isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, () -> "left in the data folder: " + copies);
            Thread.sleep(20);
        }
    }
}
