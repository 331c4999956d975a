package io.registrar.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.registrar.config.ConfigException;
import io.registrar.config.RegistrarConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code registrar clients list --user U | show CLIENT_ID | revoke CLIENT_ID [--reason R] | enable CLIENT_ID [--reason R]}:
 * the operator's command. It is a client of the running server's admin API, authenticated as a
 * configured admin client (scope dcrm, a secret-based method), so the rules, the audit trail and the
 * cluster-wide effect are exactly those of the HTTP endpoint. It reads the same configuration file as
 * the server to find the server, its certificate and the admin client.
 */
@Command(name = "clients", description = "Operator commands against the running server's admin API (scope dcrm).",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ClientsCommand.ListClients.class, ClientsCommand.Show.class, ClientsCommand.Revoke.class,
                ClientsCommand.Enable.class, CommandLine.HelpCommand.class},
        footer = {"%nThe connection options may come before or after the command:",
                "  registrar clients --demo list --user demouser"})
final class ClientsCommand extends MainSubcommand {

    @Mixin
    Connection connection;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: list, show, revoke or enable");
    }

    /** Where the server is and who to be: the server's configuration file, and overrides. */
    static final class Connection {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "The server's configuration file (default: $REGISTRAR_CONFIG).")
        Path config;

        @Option(names = "--demo", description = "The demo's configuration (run where ./registrar demo runs).")
        boolean demo;

        @Option(names = "--admin-client", paramLabel = "ID",
                description = "A static client with scope dcrm and a client secret (default: the first such client).")
        String adminClient;

        @Option(names = "--server", paramLabel = "URL",
                description = "The server's base URL (default: the issuer, else https://localhost:server.port).")
        String server;

        /** This command's options, else the ones given before the subcommand. */
        Connection or(Connection outer) {
            Connection c = new Connection();
            c.config = config != null ? config : outer.config;
            c.demo = demo || outer.demo;
            c.adminClient = adminClient != null ? adminClient : outer.adminClient;
            c.server = server != null ? server : outer.server;
            return c;
        }
    }

    /** One admin API call: its path, method and body, and how to print the answer. */
    abstract static class Verb implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Spec
        CommandSpec spec;

        @ParentCommand
        ClientsCommand clients;

        abstract void call(AdminApi admin, PrintWriter out) throws IOException, InterruptedException;

        @Override
        public Integer call() {
            return againstServer(clients.main, connection.or(clients.connection), spec, "registrar clients " + spec.name(), this::call);
        }
    }

    /** One use of the admin API. */
    @FunctionalInterface
    interface AdminCall {
        void call(AdminApi admin, PrintWriter out) throws IOException, InterruptedException;
    }

    /**
     * Connects to the server as {@code c} says and runs {@code call}; every failure is one line on the
     * error stream, after {@code name}, and an exit code.
     */
    static int againstServer(Main main, Connection c, CommandSpec spec, String name, AdminCall call) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            RegistrarConfig config = main.configs.load(c.demo, c.config);
            try (AdminApi admin = AdminApi.connect(config, c.server, c.adminClient)) {
                call.call(admin, spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
            }
            return Main.OK;
        } catch (ConfigException e) {
            err.println(name + ": " + e.getMessage());
            return Main.USAGE;
        } catch (AdminApi.Refused e) {
            err.println(name + ": " + e.getMessage());
            return Main.FAILED;
        } catch (SSLException e) {
            err.println(name + ": the server's TLS certificate is not the one this configuration names (" + e.getMessage()
                    + "). Run the command in the folder the server runs in, or pass --config and --server.");
            return Main.FAILED;
        } catch (IOException e) {
            err.println(name + ": cannot reach the server: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return Main.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.FAILED;
        }
    }

    @Command(name = "list", description = "The dynamic clients a user registered (user-authenticated DCR).")
    static final class ListClients extends Verb {
        @Option(names = "--user", required = true, paramLabel = "USER", description = "A username or a user id (sub).")
        String user;

        @Override
        @SuppressWarnings("unchecked")
        void call(AdminApi admin, PrintWriter out) throws IOException, InterruptedException {
            Map<String, Object> r = admin.call("GET", "/admin/clients?user=" + enc(user), null);
            List<Map<String, Object>> clients = (List<Map<String, Object>>) r.get("clients");
            Object username = r.get("username");
            out.println("user " + (username == null ? r.get("user") : username + " (" + r.get("user") + ")") + ": "
                    + clients.size() + " client" + (clients.size() == 1 ? "" : "s"));
            if (clients.isEmpty()) {
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("CLIENT_ID", "STATUS", "NAME", "TEMPLATE", "REGISTERED"));
            for (Map<String, Object> c : clients) {
                rows.add(List.of(String.valueOf(c.get("client_id")), String.valueOf(c.get("status")), orDash(c.get("client_name")),
                        orDash(c.get("template")), Instant.ofEpochSecond(((Number) c.get("created_at")).longValue()).toString()));
            }
            printTable(rows, out);
        }
    }

    @Command(name = "show", description = "One client, with the history of its status.")
    static final class Show extends Verb {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        void call(AdminApi admin, PrintWriter out) throws IOException, InterruptedException {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(admin.call("GET", "/admin/clients/" + enc(clientId), null)));
        }
    }

    /** Revoke and enable: a status change with an optional reason, audited with the admin client. */
    abstract static class StatusChange extends Verb {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
        String reason;

        @Override
        void call(AdminApi admin, PrintWriter out) throws IOException, InterruptedException {
            Map<String, Object> r = admin.call("POST", "/admin/clients/" + enc(clientId) + "/" + spec.name(),
                    reason == null ? "" : Json.MAPPER.writeValueAsString(Map.of("reason", reason)));
            out.println(("revoke".equals(spec.name()) ? "revoked " : "enabled ") + clientId);
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
        }
    }

    @Command(name = "revoke", description = "Cut a client off: its tokens stop working, it cannot sign in.")
    static final class Revoke extends StatusChange {
    }

    @Command(name = "enable", description = "Re-enable a revoked client.")
    static final class Enable extends StatusChange {
    }

    /**
     * Initializes what every clients command needs, on the other core while picocli parses and the
     * configuration loads: the YAML and JSON mappers.
     */
    static void warmUpInBackground() {
        Thread.ofPlatform().daemon().name("registrar-warm-up").start(() -> {
            try {
                io.registrar.config.ConfigLoader.warmUp();
                Json.MAPPER.readValue("{\"a\":[1]}", Map.class);
            } catch (Exception | LinkageError e) {
                // the command does the same work and reports what fails
            }
        });
    }

    /** Made on first use: picocli instantiates every command to print any usage. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** Columns as wide as their widest cell (client ids are any length), two spaces apart; the last one unpadded. */
    static void printTable(List<List<String>> rows, PrintWriter out) {
        int columns = rows.getFirst().size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - cell.codePointCount(0, cell.length()) + 2));
                }
            }
            out.println(line);
        }
    }

    private static String orDash(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The admin API, with a dcrm token obtained by client_credentials. Closed when the command is done:
     * the HTTP client's selector thread waits in a system call, and a JVM exiting with such a thread
     * gives it 300 ms to return before it stops anyway.
     */
    static final class AdminApi implements AutoCloseable {
        private final String base;
        private final HttpClient http;
        private final String token;

        private AdminApi(String base, HttpClient http, String token) {
            this.base = base;
            this.http = http;
            this.token = token;
        }

        static AdminApi connect(RegistrarConfig config, String server, String adminClient) throws IOException, InterruptedException {
            RegistrarConfig.StaticClient client = adminClient(config, adminClient);
            String base = server != null ? server.replaceAll("/$", "") : baseUrl(config);
            SSLContext ssl = ServerTrust.sslContext(config);
            // HTTP/1.1 only: the server speaks nothing else, and offering h2 costs its classes on every run.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String form = "grant_type=client_credentials&scope=dcrm";
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded");
            if ("client_secret_basic".equals(client.authMethod())) {
                // RFC 6749 §2.3.1: the id and secret are form-encoded before Basic encoding.
                String basic = URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8) + ":"
                        + URLEncoder.encode(client.clientSecret(), StandardCharsets.UTF_8);
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
            } else {
                form += "&client_id=" + enc(client.clientId()) + "&client_secret=" + enc(client.clientSecret());
            }
            try {
                Map<String, Object> r = send(http, b.POST(HttpRequest.BodyPublishers.ofString(form)).build());
                return new AdminApi(base, http, String.valueOf(r.get("access_token")));
            } catch (IOException | InterruptedException | RuntimeException e) {
                http.shutdownNow();
                throw e;
            }
        }

        @Override
        public void close() {
            http.shutdownNow();
        }

        Map<String, Object> call(String method, String path, String jsonBody) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
            if (jsonBody == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
            }
            return send(http, b.build());
        }

        /** A POST whose successful answer is a file (not JSON): its body to read, and close. */
        HttpResponse<InputStream> download(String path) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() >= 400) {
                String error;
                try (InputStream body = r.body()) {
                    error = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                }
                json(request, r.statusCode(), error);
            }
            return r;
        }

        private static Map<String, Object> send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return json(request, r.statusCode(), r.body());
        }

        /** The JSON answer to {@code request}; an error answer (RFC 6749 §5.2 shape) becomes a {@link Refused}. */
        @SuppressWarnings("unchecked")
        private static Map<String, Object> json(HttpRequest request, int status, String text) {
            Map<String, Object> body;
            try {
                body = Json.MAPPER.readValue(text, Map.class);
            } catch (IOException e) {
                throw new Refused(request.uri() + " answered " + status + " without JSON");
            }
            if (status >= 400) {
                throw new Refused(request.uri().getPath() + ": " + status + " " + body.get("error") + ": "
                        + body.get("error_description"));
            }
            return body;
        }

        /** The running server: the configured issuer, else this machine on the configured port. */
        private static String baseUrl(RegistrarConfig config) {
            if (config.issuer() != null && !config.issuer().isBlank()) {
                return config.issuer().replaceAll("/$", "");
            }
            if (config.server().port() == 0) {
                // A derived issuer follows the port the server was given at start; this process cannot know it.
                throw new Refused("server.port is 0 (any free port) and issuer is empty, so only the running server "
                        + "knows its address: pass --server with the issuer it logged at start-up");
            }
            return (config.server().tls().enabled() ? "https" : "http") + "://localhost:" + config.server().port();
        }

        private static RegistrarConfig.StaticClient adminClient(RegistrarConfig config, String wanted) {
            for (RegistrarConfig.StaticClient c : config.staticClients()) {
                boolean secretBased = "client_secret_basic".equals(c.authMethod()) || "client_secret_post".equals(c.authMethod());
                if ((wanted == null || wanted.equals(c.clientId())) && c.scopes().contains("dcrm") && secretBased) {
                    return c;
                }
            }
            throw new Refused(wanted == null
                    ? "the configuration has no static client with scope dcrm and client_secret_basic or client_secret_post"
                    : "'" + wanted + "' is not a static client with scope dcrm and a client secret");
        }

        /** A refusal or failure the operator can act on, printed as one line. */
        static final class Refused extends RuntimeException {
            Refused(String message) {
                super(message, null, false, false);
            }
        }
    }
}
