package io.registrar.it;

import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 21 §2, "keep it so": the server as its own OS process, on each store, under registrations
 * and RFC 7592 reads (each of which rotates the registration access token and the secret), killed
 * with SIGKILL mid-load and started again on the same store. Every registration that was
 * acknowledged (201) must still be there and whole, and with the rotation leeway on no client may be
 * locked out: the last token it received works, whether or not the read it had in flight committed.
 * Without the leeway a read that committed but whose response the kill swallowed leaves its client
 * with a dead token; those are counted, not asserted. The figures go to the test's output.
 */
class RotationCrashIT {

    private static final int WORKERS = 48;
    private static final int READS_PER_CLIENT = 4;
    private static final Duration LOAD_BEFORE_KILL = Duration.ofMillis(2500);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** What a client holds after the last response it received: the token and secret to use next. */
    private record Held(String clientId, String uri, String name, String token, String secret) {
    }

    @ParameterizedTest(name = "{0}, rotationLeeway {1}")
    @CsvSource({"H2, 1m", "H2, 0s", "POSTGRES, 1m", "POSTGRES, 0s"})
    void aKilledServerLosesNoAcknowledgedRegistrationAndWithTheLeewayLocksNoClientOut(TestDatabase store, String leeway)
            throws Exception {
        Path dir = TestDatabase.tempDir();
        int port = freePort();
        Path config = dir.resolve("registrar.yaml");
        Files.writeString(config, TestServer.BASE.replace("port: 0", "port: " + port) + store.newStorageYaml(dir.resolve("data"))
                + "registration:\n  initialTokenUses: 0\nmanagement:\n  rotationLeeway: " + leeway + "\n"
                // The check below tries each client's previous secret on purpose (a 401 tells a read that
                // committed unanswered), all from one address: not guessing, so not throttled here.
                + "clientAuth:\n  secretThrottling:\n    freeFailures: 100000\n    freeFailuresPerAddress: 100000\n"
                + "    maxFailuresPerWindow: 100000\n");
        TestHttp http = new TestHttp("http://127.0.0.1:" + port);
        boolean withLeeway = !leeway.equals("0s");

        Process server = start(config, dir.resolve("first.log"), http);
        Map<String, Held> clients = new ConcurrentHashMap<>();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger cutOff = new AtomicInteger();
        String dcrToken = http.dcrToken();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                workers.add(pool.submit(() -> load(http, dcrToken, worker, clients, reads, cutOff)));
            }
            Thread.sleep(LOAD_BEFORE_KILL.toMillis());
            // On a loaded machine the load may not have got far yet: the kill waits for enough of it
            // (clients registered and reads made), for at most another 30 s.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((clients.size() < 2 * WORKERS || reads.get() < WORKERS) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            server.destroyForcibly();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not die");
            for (Future<?> f : workers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            server.destroyForcibly();
        }

        Process again = start(config, dir.resolve("second.log"), http);
        int lockedOut = 0;
        int unanswered = 0;
        try {
            String admin = http.adminToken();
            for (Held c : clients.values()) {
                // A dead secret means the read the kill cut off had committed: its answer never came.
                if (http.clientCredentialsToken(c.clientId(), c.secret()).status() == 401) {
                    unanswered++;
                }
                Response read = http.get(c.uri(), c.token());
                if (read.status() == 401) {
                    lockedOut++;
                    // Locked out, but there and whole: the operator's token (dcrm) reads it without rotating.
                    read = http.get(c.uri(), admin);
                    assertEquals(200, read.status(), () -> c.clientId() + ": acknowledged, but gone after the restart");
                    assertEquals(c.clientId(), read.string("client_id"));
                    assertEquals(c.name(), read.string("client_name"), "half-written");
                    continue;
                }
                assertEquals(200, read.status(), read::body);
                assertEquals(c.clientId(), read.string("client_id"));
                assertEquals(c.name(), read.string("client_name"), "half-written");
                // The secret handed out with the token works: credentials and token were written together.
                Response token = http.clientCredentialsToken(c.clientId(), read.string("client_secret"));
                assertEquals(200, token.status(), () -> c.clientId() + ": " + token.body());
            }
        } finally {
            again.destroyForcibly();
            again.waitFor(30, TimeUnit.SECONDS);
        }
        System.out.printf("crash on %s, rotationLeeway %s: %d registrations acknowledged, %d rotating reads acknowledged, "
                + "%d requests cut off by the kill, %d reads committed unanswered, %d clients locked out%n", store, leeway, clients.size(),
                reads.get(), cutOff.get(), unanswered, lockedOut);
        assertTrue(clients.size() >= WORKERS, "the load registered too little to tell anything: " + clients.size());
        if (withLeeway) {
            assertEquals(0, lockedOut, "clients locked out after the kill, with the leeway on");
        }
    }

    /**
     * One client after another: register, then read it a few times, keeping what each response hands
     * out. Ends when the server is gone; a request the kill cut off leaves the client holding what it
     * had before, as a client whose response was lost does.
     */
    private static Void load(TestHttp http, String dcrToken, int worker, Map<String, Held> clients, AtomicInteger reads,
                             AtomicInteger cutOff) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int n = 0; ; n++) {
            String name = "crash " + worker + "-" + n;
            HttpResponse<String> reg = send(client, HttpRequest.newBuilder(URI.create(http.base + "/register"))
                    .header("Authorization", "Bearer " + dcrToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"client_name\":\"" + name
                            + "\",\"grant_types\":[\"client_credentials\"],\"scope\":\"api\"}")));
            if (reg == null) {
                cutOff.incrementAndGet();
                return null;
            }
            assertEquals(201, reg.statusCode(), reg.body());
            Map<String, Object> info = new Response(reg.statusCode(), reg.headers(), reg.body()).json();
            Held held = new Held((String) info.get("client_id"), (String) info.get("registration_client_uri"), name,
                    (String) info.get("registration_access_token"), (String) info.get("client_secret"));
            clients.put(held.clientId(), held);
            for (int r = 0; r < READS_PER_CLIENT; r++) {
                HttpResponse<String> read = send(client, HttpRequest.newBuilder(URI.create(held.uri()))
                        .header("Authorization", "Bearer " + held.token()).GET());
                if (read == null) {
                    cutOff.incrementAndGet();
                    return null;
                }
                if (read.statusCode() != 200) {
                    fail(held.clientId() + " refused before the kill: " + read.body());
                }
                Response answer = new Response(read.statusCode(), read.headers(), read.body());
                held = new Held(held.clientId(), held.uri(), name, answer.string("registration_access_token"), answer.string("client_secret"));
                clients.put(held.clientId(), held);
                reads.incrementAndGet();
            }
        }
    }

    /** The response, or null when the server went away before answering. */
    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The server as a process of its own: this JVM's java, the test class path, {@code serve --config}. */
    private static Process start(Path config, Path log, TestHttp http) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", classPath, "io.registrar.cli.Main", "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("REGISTRAR_LOG_LEVEL", "WARN");
        Process p = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("the server exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            if (ready(http)) {
                return p;
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        fail("the server did not get ready within " + START_TIMEOUT + ":\n" + Files.readString(log));
        return p;
    }

    private static boolean ready(TestHttp http) {
        try {
            return http.get("/health/ready", null).status() == 200;
        } catch (AssertionError notYetListening) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
