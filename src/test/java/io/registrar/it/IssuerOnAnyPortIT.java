package io.registrar.it;

import io.registrar.cli.Main;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.net.URI;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * server.port 0 with an empty issuer: every URL the server hands out names the port it really
 * listens on (and the separate mTLS listener's), never the configured 0.
 */
class IssuerOnAnyPortIT {

    @Test
    void everyAdvertisedUrlNamesTheRealPorts() {
        try (TestServer server = TestServer.start(TestDatabase.H2, """
                server:
                  port: 0
                  tls:
                    mode: self-signed
                  mtls:
                    enabled: true
                    port: 0
                """)) {
            String issuer = server.issuer();
            assertEquals("https://localhost:" + server.port(), issuer);

            Map<String, Object> discovery = server.http.get("/.well-known/openid-configuration", null).json();
            assertEquals(issuer, discovery.get("issuer"));
            for (String endpoint : new String[]{"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
                    "registration_endpoint", "introspection_endpoint", "revocation_endpoint", "end_session_endpoint"}) {
                assertTrue(String.valueOf(discovery.get(endpoint)).startsWith(issuer + "/"), endpoint + ": " + discovery.get(endpoint));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> aliases = (Map<String, Object>) discovery.get("mtls_endpoint_aliases");
            int mtlsPort = URI.create(String.valueOf(aliases.get("token_endpoint"))).getPort();
            assertTrue(mtlsPort > 0 && mtlsPort != server.port(), "mTLS alias port " + mtlsPort);
            aliases.values().forEach(url -> assertEquals(mtlsPort, URI.create(String.valueOf(url)).getPort(), String.valueOf(url)));
            assertEquals(discovery, server.http.get("/.well-known/oauth-authorization-server", null).json());

            Response registered = server.http.register("{\"grant_types\": [\"client_credentials\"]}");
            String clientUri = registered.string("registration_client_uri");
            assertEquals(issuer + "/register/" + registered.string("client_id"), clientUri);
            // The URI works as given (RFC 7592 §3); the read rotates the secret.
            Response read = server.http.get(clientUri, registered.string("registration_access_token"));
            assertEquals(200, read.status(), read.body());
            // And the mTLS alias of the token endpoint answers on its port.
            Response viaAlias = server.mtls(null).postFormBasic(URI.create(String.valueOf(aliases.get("token_endpoint"))).getPath(),
                    registered.string("client_id"), read.string("client_secret"), Map.of("grant_type", "client_credentials"));
            assertEquals(200, viaAlias.status(), viaAlias.body());

            // The operator command reads only the configuration: it says so instead of calling localhost:0.
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = Main.run((demo, file) -> server.config, new PrintStream(new java.io.ByteArrayOutputStream(), true, UTF_8),
                    new PrintStream(err, true, UTF_8), "clients", "show", registered.string("client_id"),
                    "--admin-client", TestServer.ADMIN_CLIENT);
            assertEquals(1, code);
            assertTrue(err.toString(UTF_8).contains("server.port is 0"), err.toString(UTF_8));
        }
    }
}
