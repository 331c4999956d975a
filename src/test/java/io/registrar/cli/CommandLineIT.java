package io.registrar.cli;

import io.registrar.config.ConfigLoader;
import io.registrar.config.RegistrarConfig;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as people use it: usage everywhere, unknown input refused by name, one-line failures. */
class CommandLineIT {

    /** A configuration that must not be read: help and usage errors come before any configuration. */
    private static final Main.ConfigSource NO_CONFIG = (demo, file) -> {
        throw new AssertionError("the configuration was loaded");
    };

    record Run(int code, String out, String err) {
    }

    private static Run run(Main.ConfigSource configs, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(configs, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommandsAndTheLaunchersOwn() {
        for (String[] args : List.of(new String[]{"--help"}, new String[]{"-h"}, new String[]{"help"})) {
            Run r = run(NO_CONFIG, args);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("Usage: registrar"), r.out());
            for (String command : List.of("serve", "demo", "clients", "backup", "restore", "test", "bench", "build")) {
                assertTrue(r.out().contains("  " + command + " "), () -> command + " missing from\n" + r.out());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "demo", "clients", "clients list", "clients show", "clients revoke", "clients enable",
            "explain", "backup", "restore", "help serve", "clients help list", "help restore"})
    void everyCommandAnswersHelpWithoutReadingTheConfiguration(String command) {
        String[] words = command.split(" ");
        String[] args = command.contains("help") ? words : append(words, "--help");
        Run r = run(NO_CONFIG, args);
        assertEquals(0, r.code(), r.err());
        String name = command.replace("help ", "");
        assertTrue(r.out().startsWith("Usage: registrar " + name), r.out());
    }

    @Test
    void unknownCommandsAndOptionsAreRefusedByName() {
        Run command = run(NO_CONFIG, "nonsense");
        assertEquals(2, command.code());
        assertTrue(command.err().contains("'nonsense'"), command.err());

        Run option = run(NO_CONFIG, "serve", "--bogus");
        assertEquals(2, option.code());
        assertTrue(option.err().contains("Unknown option: '--bogus'"), option.err());

        Run late = run(NO_CONFIG, "clients", "list", "--user", "alice", "--frobnicate");
        assertEquals(2, late.code());
        assertTrue(late.err().contains("'--frobnicate'"), late.err());

        Run missing = run(NO_CONFIG, "clients", "list");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--user"), missing.err());

        Run bare = run(NO_CONFIG);
        assertEquals(2, bare.code());
        assertTrue(bare.err().contains("Missing command") && bare.err().contains("Usage: registrar"), bare.err());
    }

    @Test
    void aPortInUseIsOneLineNamingThePortAndItsKey() throws Exception {
        Path dataDir = Files.createTempDirectory("registrar-cli");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            RegistrarConfig main = config(dataDir, "server:\n  host: 127.0.0.1\n  port: " + port + "\n  tls:\n    mode: \"off\"\n");
            Run r = run((demo, file) -> main, "serve");
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("port " + port) && r.err().contains("server.port"), r.err());

            RegistrarConfig mtls = config(dataDir, "server:\n  host: 127.0.0.1\n  port: 0\n  tls:\n    mode: \"off\"\n"
                    + "  mtls:\n    enabled: true\n    port: " + port + "\n");
            Run m = run((demo, file) -> mtls, "serve");
            assertEquals(1, m.code(), m.err());
            assertEquals(1, m.err().strip().lines().count(), m.err());
            assertTrue(m.err().contains("port " + port) && m.err().contains("server.mtls.port"), m.err());
        }
    }

    @Test
    void aConfigurationErrorIsOneLine() {
        Run r = run((demo, file) -> new ConfigLoader().load(List.of("server:\n  colour: blue\n"), Map.of()), "serve");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("registrar: ") && r.err().contains("server.colour"), r.err());
    }

    @Test
    void noConfigurationAtAllSaysHowToGiveOne() {
        for (String[] args : List.of(new String[]{"serve"}, new String[]{"clients", "list", "--user", "demouser"})) {
            Run r = run(Main.fromEnvironment(Map.of()), args);
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("no configuration was given") && r.err().contains("--config")
                    && r.err().contains("--demo"), r.err());
        }
    }

    @Test
    void clientsListNamesTheUser() {
        try (TestServer server = TestServer.start(TestDatabase.H2, TestServer.MOBILE)) {
            Run r = run((demo, file) -> server.config, "clients", "--server", server.issuer(), "list", "--user", "Alice");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().matches("(?s)user alice \\([^)]+\\): 0 clients\\R"), r.out());

            Run unknown = run((demo, file) -> server.config, "clients", "show", "no-such-client", "--server", server.issuer());
            assertEquals(1, unknown.code());
            assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
            assertTrue(unknown.err().contains("404"), unknown.err());
        }
    }

    @Test
    void explainPrintsEachStepAndExitsByTheDecision() throws Exception {
        String rules = """
                registration:
                  rules:
                    - name: test-clients-are-refused
                      when:
                        metadata.client_name: {matches: "(?i).*test.*"}
                      reject: {message: "Test clients are not registered here"}
                """;
        try (TestServer server = TestServer.start(TestDatabase.H2, rules)) {
            Path dir = Files.createTempDirectory("registrar-explain");
            Path accepted = Files.writeString(dir.resolve("accepted.json"), "{\"client_name\":\"Sync\",\"grant_types\":[\"client_credentials\"],"
                    + "\"scope\":\"api\"}");
            Run r = run((demo, file) -> server.config, "explain", "--server", server.issuer(), "--file", accepted.toString(),
                    "--client", "initial-client");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertTrue(lines.stream().anyMatch(l -> l.matches("defaults +changed .*\\+response_types=\\[].*")), r.out());
            assertTrue(lines.stream().anyMatch(l -> l.matches("rule test-clients-are-refused +not_applicable.*")), r.out());
            assertTrue(lines.stream().anyMatch(l -> l.matches("validation +passed")), r.out());
            assertTrue(r.out().contains("decision: accepted") && r.out().contains("\"client_name\" : \"Sync\""), r.out());

            Path refused = Files.writeString(dir.resolve("refused.json"), "{\"client_name\":\"My test app\"}");
            Run no = run((demo, file) -> server.config, "explain", "--server", server.issuer(), "-f", refused.toString());
            assertEquals(1, no.code(), no.out() + no.err());
            assertTrue(no.out().lines().anyMatch(l -> l.matches("rule test-clients-are-refused +refused +invalid_client_metadata: "
                    + "Test clients are not registered here")), no.out());
            assertTrue(no.out().strip().endsWith("decision: refused with invalid_client_metadata: Test clients are not registered here"),
                    no.out());

            Run bad = run((demo, file) -> server.config, "explain", "--server", server.issuer(), "--update", "x", "--kind", "mutual_tls",
                    "-f", refused.toString());
            assertEquals(2, bad.code(), bad.err());
        }
    }

    @Test
    void tableColumnsFitTheirWidestCell() {
        StringWriter text = new StringWriter();
        ClientsCommand.printTable(List.of(
                List.of("CLIENT_ID", "STATUS", "NAME"),
                List.of("a-very-long-client-identifier-0123456789abcdef", "active", "My app"),
                List.of("short", "revoked", "-")), new PrintWriter(text, true));
        List<String> lines = text.toString().lines().toList();
        assertEquals(List.of(
                "CLIENT_ID                                       STATUS   NAME",
                "a-very-long-client-identifier-0123456789abcdef  active   My app",
                "short                                           revoked  -"), lines);
    }

    @Test
    void theLauncherAnswersHelpForItsOwnCommands() throws Exception {
        Path launcher = Path.of("registrar").toAbsolutePath();
        for (String command : List.of("test", "bench", "build")) {
            Process p = new ProcessBuilder(launcher.toString(), command, "--help").redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.startsWith("usage: ./registrar " + command), out);
        }
        Process extra = new ProcessBuilder(launcher.toString(), "build", "now").redirectErrorStream(true).start();
        assertTrue(extra.waitFor(60, TimeUnit.SECONDS));
        String out = new String(extra.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, extra.exitValue(), out);
        assertTrue(out.contains("'now'"), out);
        assertFalse(out.contains("building"), out);
    }

    private static RegistrarConfig config(Path dataDir, String yaml) {
        return new ConfigLoader().load(List.of(yaml, "storage:\n  dataDir: \"" + dataDir + "\"\n"), Map.of());
    }

    private static String[] append(String[] words, String last) {
        String[] out = java.util.Arrays.copyOf(words, words.length + 1);
        out[words.length] = last;
        return out;
    }
}
