package io.registrar.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.registrar.config.RegistrarConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code registrar clients list --user U | show CLIENT_ID | revoke CLIENT_ID [--reason R] | enable CLIENT_ID [--reason R]}:
 * the operator's command. It is a client of the running server's admin API, authenticated as a
 * configured admin client (scope dcrm, a secret-based method), so the rules, the audit trail and the
 * cluster-wide effect are exactly those of the HTTP endpoint. It reads the same configuration file as
 * the server to find the server, its certificate and the admin client.
 */
public final class ClientsCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE = """
            usage: registrar clients list --user USERNAME_OR_SUB
                   registrar clients show CLIENT_ID
                   registrar clients revoke CLIENT_ID [--reason TEXT]
                   registrar clients enable CLIENT_ID [--reason TEXT]
              options: --config FILE (the server's configuration), --demo (the demo's), --admin-client ID (a static client with scope dcrm),
                       --server URL (default: the issuer, else this machine on server.port)""";

    private final RegistrarConfig config;
    private final PrintStream out;
    private final PrintStream err;

    public ClientsCommand(RegistrarConfig config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    /** Runs the command; returns the process exit code (0 done, 1 refused or failed, 2 usage). */
    public int run(List<String> args) {
        List<String> positional = new ArrayList<>();
        String user = null;
        String reason = null;
        String adminClient = null;
        String server = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String next = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (a) {
                case "--user" -> { user = next; i++; }
                case "--reason" -> { reason = next; i++; }
                case "--admin-client" -> { adminClient = next; i++; }
                case "--server" -> { server = next; i++; }
                case "--config" -> i++; // read by the caller
                case "--demo" -> { } // the demo profile, loaded by the caller
                default -> positional.add(a);
            }
        }
        if (positional.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        String verb = positional.getFirst();
        String clientId = positional.size() > 1 ? positional.get(1) : null;
        try {
            Admin admin = new Admin(server != null ? server : baseUrl(), adminClient(adminClient), httpClient());
            switch (verb) {
                case "list" -> {
                    if (user == null) {
                        err.println(USAGE);
                        return 2;
                    }
                    Map<String, Object> r = admin.call("GET", "/admin/clients?user=" + enc(user), null);
                    printClients(r);
                }
                case "show", "revoke", "enable" -> {
                    if (clientId == null) {
                        err.println(USAGE);
                        return 2;
                    }
                    String path = "/admin/clients/" + enc(clientId);
                    Map<String, Object> r = "show".equals(verb) ? admin.call("GET", path, null)
                            : admin.call("POST", path + "/" + verb, reason == null ? "" : JSON.writeValueAsString(Map.of("reason", reason)));
                    if (!"show".equals(verb)) {
                        out.println(("revoke".equals(verb) ? "revoked " : "enabled ") + clientId);
                    }
                    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
                }
                default -> {
                    err.println(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (CommandException e) {
            err.println("registrar clients: " + e.getMessage());
            return 1;
        } catch (javax.net.ssl.SSLException e) {
            err.println("registrar clients: the server's TLS certificate is not the one this configuration names ("
                    + e.getMessage() + "). Run the command in the folder the server runs in, or pass --config and --server.");
            return 1;
        } catch (IOException e) {
            err.println("registrar clients: cannot reach the server: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    @SuppressWarnings("unchecked")
    private void printClients(Map<String, Object> r) {
        List<Map<String, Object>> clients = (List<Map<String, Object>>) r.get("clients");
        out.println("user " + r.get("user") + ": " + clients.size() + " client" + (clients.size() == 1 ? "" : "s"));
        if (!clients.isEmpty()) {
            out.printf("%-24s %-8s %-28s %-22s %s%n", "CLIENT_ID", "STATUS", "NAME", "TEMPLATE", "REGISTERED");
        }
        for (Map<String, Object> c : clients) {
            out.printf("%-24s %-8s %-28s %-22s %s%n", c.get("client_id"), c.get("status"), orDash(c.get("client_name")),
                    orDash(c.get("template")), Instant.ofEpochSecond(((Number) c.get("created_at")).longValue()));
        }
    }

    private static String orDash(Object o) {
        return o == null ? "-" : o.toString();
    }

    /** The running server: the configured issuer, else this machine on the configured port. */
    private String baseUrl() {
        if (config.issuer() != null && !config.issuer().isBlank()) {
            return config.issuer().replaceAll("/$", "");
        }
        if (config.server().port() == 0) {
            // A derived issuer follows the port the server was given at start; this process cannot know it.
            throw new CommandException("server.port is 0 (any free port) and issuer is empty, so only the running server "
                    + "knows its address: pass --server with the issuer it logged at start-up");
        }
        return (config.server().tls().enabled() ? "https" : "http") + "://localhost:" + config.server().port();
    }

    private RegistrarConfig.StaticClient adminClient(String wanted) {
        for (RegistrarConfig.StaticClient c : config.staticClients()) {
            boolean secretBased = "client_secret_basic".equals(c.authMethod()) || "client_secret_post".equals(c.authMethod());
            if ((wanted == null || wanted.equals(c.clientId())) && c.scopes().contains("dcrm") && secretBased) {
                return c;
            }
        }
        throw new CommandException(wanted == null
                ? "the configuration has no static client with scope dcrm and client_secret_basic or client_secret_post"
                : "'" + wanted + "' is not a static client with scope dcrm and a client secret");
    }

    /** The JDK's trusted CAs plus the server's own certificate (the demo's is self-signed). */
    private HttpClient httpClient() {
        try {
            List<X509Certificate> extra = new ArrayList<>();
            RegistrarConfig.Tls tls = config.server().tls();
            Path keystore = "self-signed".equals(tls.mode()) ? Path.of(config.storage().dataDir(), "tls-self-signed.p12")
                    : tls.keystorePath() == null || tls.keystorePath().isBlank() ? null : Path.of(tls.keystorePath());
            char[] password = "self-signed".equals(tls.mode())
                    ? readPassword(Path.of(config.storage().dataDir(), "tls-self-signed.password"))
                    : String.valueOf(tls.keystorePassword()).toCharArray();
            if (keystore != null && Files.isReadable(keystore) && password != null) {
                KeyStore ks = KeyStore.getInstance("self-signed".equals(tls.mode()) ? "PKCS12" : tls.keystoreType());
                try (InputStream in = Files.newInputStream(keystore)) {
                    ks.load(in, password);
                }
                var aliases = ks.aliases();
                while (aliases.hasMoreElements()) {
                    if (ks.getCertificate(aliases.nextElement()) instanceof X509Certificate c) {
                        extra.add(c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            int n = 0;
            for (var tm : jdk.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        anchors.setCertificateEntry("jdk-" + n++, c);
                    }
                }
            }
            for (X509Certificate c : extra) {
                anchors.setCertificateEntry("server-" + n++, c);
            }
            tmf.init(anchors);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new CommandException("cannot read the server's certificate: " + e.getMessage());
        }
    }

    private static char[] readPassword(Path file) throws IOException {
        return Files.isReadable(file) ? Files.readString(file, StandardCharsets.US_ASCII).trim().toCharArray() : null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The admin API, with a dcrm token obtained by client_credentials. */
    private static final class Admin {
        private final String base;
        private final HttpClient http;
        private final String token;

        Admin(String base, RegistrarConfig.StaticClient client, HttpClient http) throws IOException, InterruptedException {
            this.base = base;
            this.http = http;
            String form = "grant_type=client_credentials&scope=dcrm";
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded");
            if ("client_secret_basic".equals(client.authMethod())) {
                String basic = URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8) + ":"
                        + URLEncoder.encode(client.clientSecret(), StandardCharsets.UTF_8);
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
            } else {
                form += "&client_id=" + enc(client.clientId()) + "&client_secret=" + enc(client.clientSecret());
            }
            Map<String, Object> r = send(b.POST(HttpRequest.BodyPublishers.ofString(form)).build());
            this.token = String.valueOf(r.get("access_token"));
        }

        Map<String, Object> call(String method, String path, String jsonBody) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
            if (jsonBody == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
            }
            return send(b.build());
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> send(HttpRequest request) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, Object> body;
            try {
                body = JSON.readValue(r.body(), Map.class);
            } catch (IOException e) {
                throw new CommandException(request.uri() + " answered " + r.statusCode() + " without JSON");
            }
            if (r.statusCode() >= 400) {
                throw new CommandException(request.uri().getPath() + ": " + r.statusCode() + " " + body.get("error") + ": "
                        + body.get("error_description"));
            }
            return body;
        }
    }

    private static final class CommandException extends RuntimeException {
        CommandException(String message) {
            super(message, null, false, false);
        }
    }

}
