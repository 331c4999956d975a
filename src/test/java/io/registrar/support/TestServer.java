package io.registrar.support;

import io.registrar.Registrar;
import io.registrar.config.ConfigLoader;
import io.registrar.config.RegistrarConfig;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real server, in-process, on a random port, plain HTTP (as behind a TLS-terminating proxy). */
public final class TestServer implements AutoCloseable {

    public static final String INITIAL_CLIENT = "initial-client";
    public static final String INITIAL_SECRET = "initial-client-secret-0123456789";
    public static final String ADMIN_CLIENT = "admin-client";
    public static final String ADMIN_SECRET = "admin-client-secret-0123456789";
    public static final String RESOURCE_CLIENT = "resource-server";
    public static final String RESOURCE_SECRET = "resource-server-secret-0123456789";

    /** The three standard static clients, as YAML list items (a layer that sets staticClients replaces the list). */
    public static final String STANDARD_CLIENTS = """
              - clientId: initial-client
                clientSecret: initial-client-secret-0123456789
                authMethod: client_secret_basic
                scopes: [dcr]
              - clientId: admin-client
                clientSecret: admin-client-secret-0123456789
                authMethod: client_secret_basic
                scopes: [dcrm]
              - clientId: resource-server
                clientSecret: resource-server-secret-0123456789
                authMethod: client_secret_post
                scopes: [api]
            """;

    public static final String BASE = """
            server:
              host: 127.0.0.1
              port: 0
              tls:
                mode: "off"
            staticClients:
            """ + STANDARD_CLIENTS;

    public static final String MOBILE_DCR_CLIENT = "mobile-dcr-client";
    public static final String TEMPLATE = "com.example.mobile";

    /**
     * The mobile story (issue 3): a public registration client for "user authenticates", users, and a
     * template for the per-instance clients.
     */
    public static final String MOBILE = staticClients("""
              - clientId: mobile-dcr-client
                authMethod: none
                applicationType: native
                grantTypes: [authorization_code]
                redirectUris: ["com.example.mobile:/callback", "http://127.0.0.1/callback"]
                scopes: [dcr]
            """) + """
            users:
              - {username: alice, password: alice-password-1, name: Alice Example, email: alice@example.com}
              - {username: bob, password: bob-password-12, name: Bob Example}
              - {username: carol, password: carol-password-1}
            templates:
              - id: com.example.mobile
                clientName: Example Mobile
                applicationType: native
                redirectUris: ["com.example.mobile:/callback", "http://127.0.0.1/callback"]
                postLogoutRedirectUris: ["com.example.mobile:/logout"]
                scopes: [openid, profile, email]
                grantTypes: [authorization_code, refresh_token]
                authMethod: client_secret_basic
            login:
              throttling:
                firstDelay: 5m
            """;

    /** A layer with the standard static clients and {@code extraItems} (YAML list items, indented by two). */
    public static String staticClients(String extraItems) {
        return "staticClients:\n" + STANDARD_CLIENTS + extraItems;
    }

    private final Registrar registrar;
    /** The configuration the server runs with (the operator command reads it as the CLI would). */
    public final RegistrarConfig config;
    public final TestHttp http;

    private TestServer(Registrar registrar, RegistrarConfig config) {
        this.registrar = registrar;
        this.config = config;
        // Plain HTTP as behind a TLS-terminating proxy; over TLS (self-signed) when a layer turns it on.
        this.http = registrar.issuer().startsWith("https:")
                ? new TestHttp(registrar.issuer(), TestPki.trustAnyServer())
                : new TestHttp("http://127.0.0.1:" + registrar.port());
    }

    /** A server on a fresh store of {@code db}, with the base test configuration plus {@code extraYaml}. */
    public static TestServer start(TestDatabase db, String... extraYaml) {
        Path dir = TestDatabase.tempDir();
        return start(db.newStorageYaml(dir), extraYaml);
    }

    /** A server on an existing store (for several nodes on one database). */
    public static TestServer start(String storageYaml, String... extraYaml) {
        return start(Clock.systemUTC(), storageYaml, extraYaml);
    }

    /** A server on a fresh store of {@code db} that tells time by {@code clock} (a {@link SteppingClock}). */
    public static TestServer start(Clock clock, TestDatabase db, String... extraYaml) {
        return start(clock, db.newStorageYaml(TestDatabase.tempDir()), extraYaml);
    }

    private static TestServer start(Clock clock, String storageYaml, String... extraYaml) {
        List<String> layers = new ArrayList<>();
        layers.add(BASE);
        layers.add(storageYaml);
        layers.addAll(List.of(extraYaml));
        RegistrarConfig config = new ConfigLoader().load(layers, Map.of());
        return new TestServer(Registrar.start(config, clock), config);
    }

    public String issuer() {
        return registrar.issuer();
    }

    public int port() {
        return registrar.port();
    }

    /** A client of the separate mTLS listener that presents {@code certificate} (none when null). */
    public TestHttp mtls(TestPki.Issued certificate) {
        return new TestHttp("https://localhost:" + registrar.mtlsPort(),
                certificate == null ? TestPki.trustAnyServer() : certificate.sslContext());
    }

    @Override
    public void close() {
        registrar.close();
    }
}
