package io.registrar.it;

import io.registrar.support.TestDatabase;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the server is set up: routes follow configuration, TLS in demo (self-signed) mode. */
class ServerSetupIT {

    @Test
    void disabledFeaturesHaveNoRouteAndAreNotAdvertised() {
        try (TestServer server = TestServer.start(TestDatabase.H2, "registration:\n  enabled: false\nmanagement:\n  enabled: false\n")) {
            Map<String, Object> discovery = server.http.get("/.well-known/openid-configuration", null).json();
            assertFalse(discovery.containsKey("registration_endpoint"));
            assertFalse(String.valueOf(discovery.get("scopes_supported")).contains("dcr"));
            server.http.postJson("/register", server.http.dcrToken(), "{}").assertError(404, "invalid_request");
            server.http.get("/register/anything", "x").assertError(404, "invalid_request");
        }
    }

    @Test
    void requestsJettyRefusesBeforeRoutingStillGetRfcJsonErrors() throws Exception {
        try (TestServer server = TestServer.start(TestDatabase.H2)) {
            for (String raw : List.of("GARBAGE\r\n\r\n",
                    "GET http://localhost:1/register/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                    "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")) {
                String response = rawExchange(server.port(), raw);
                assertTrue(response.matches("(?s)HTTP/1.1 4\\d\\d .*"), response);
                assertTrue(response.contains("Content-Type: application/json"), response);
                assertTrue(response.contains("Cache-Control: no-store"), response);
                assertTrue(response.contains("{\"error\":\"invalid_request\",\"error_description\":"), response);
            }
        }
    }

    private static String rawExchange(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder out = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            try {
                while ((n = in.read(buffer)) > 0) {
                    out.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    if (out.indexOf("}") > 0) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // the server closed or stopped sending: we have what it said
            }
            return out.toString();
        }
    }

    @Test
    void dcrTokenUsesAreConfigurable() {
        try (TestServer server = TestServer.start(TestDatabase.H2, "registration:\n  initialTokenUses: 0\n")) {
            String token = server.http.dcrToken();
            for (int i = 0; i < 3; i++) {
                assertEquals(201, server.http.postJson("/register", token, DcrFlowTests.CC_CLIENT).status());
            }
        }
        try (TestServer server = TestServer.start(TestDatabase.H2, "registration:\n  initialTokenUses: 2\n")) {
            String token = server.http.dcrToken();
            assertEquals(201, server.http.postJson("/register", token, DcrFlowTests.CC_CLIENT).status());
            assertEquals(201, server.http.postJson("/register", token, DcrFlowTests.CC_CLIENT).status());
            server.http.postJson("/register", token, DcrFlowTests.CC_CLIENT).assertError(401, "invalid_token");
        }
    }

    @Test
    void secretsAndRegistrationTokensExpireAsConfigured() throws Exception {
        try (TestServer server = TestServer.start(TestDatabase.H2, """
                registration:
                  clientSecretLifetime: 4s
                management:
                  rotate: false
                  tokenLifetime: 4s
                  deleteTokenLifetime: 1h
                """)) {
            long before = java.time.Instant.now().getEpochSecond();
            Map<String, Object> info = server.http.register(DcrFlowTests.CC_CLIENT).json();
            long expiresAt = ((Number) info.get("client_secret_expires_at")).longValue();
            assertTrue(expiresAt >= before + 3 && expiresAt <= before + 6, "client_secret_expires_at " + expiresAt);
            String id = (String) info.get("client_id");
            String secret = (String) info.get("client_secret");
            String uri = (String) info.get("registration_client_uri");
            String rat = (String) info.get("registration_access_token");
            assertEquals(200, server.http.clientCredentialsToken(id, secret).status());
            assertEquals(200, server.http.get(uri, rat).status());

            Thread.sleep(Math.max(0, (expiresAt + 1) * 1000 - System.currentTimeMillis()));
            server.http.clientCredentialsToken(id, secret).assertError(401, "invalid_client");
            // Past its GET/PUT lifetime the registration access token is still good for DELETE alone.
            server.http.get(uri, rat).assertError(401, "invalid_token");
            server.http.putJson(uri, rat, "{\"client_id\":\"" + id + "\"}").assertError(401, "invalid_token");
            assertEquals(204, server.http.delete(uri, rat).status());
        }
    }

    @Test
    void overridesForceTheAuthMethodAndTheResponseShowsIt() {
        try (TestServer server = TestServer.start(TestDatabase.H2,
                "registration:\n  overrides:\n    tokenEndpointAuthMethod: client_secret_post\n")) {
            Map<String, Object> info = server.http.register(DcrFlowTests.CC_CLIENT).json();
            assertEquals("client_secret_post", info.get("token_endpoint_auth_method"));
        }
    }

    @Test
    void selfSignedModeServesHttpsAndKeepsItsCertificate() throws Exception {
        Path dir = TestDatabase.tempDir();
        String storage = "storage:\n  dataDir: \"" + dir + "\"\n";
        String tls = "server:\n  tls:\n    mode: self-signed\n";
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        HttpClient client = HttpClient.newBuilder().sslContext(trustAll).build();
        byte[] first;
        try (TestServer server = TestServer.start(storage, tls)) {
            assertTrue(server.issuer().startsWith("https://localhost:"), server.issuer());
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.issuer() + "/.well-known/openid-configuration")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\"issuer\":\"" + server.issuer() + "\""));
            first = Files.readAllBytes(dir.resolve("tls-self-signed.pem"));
        }
        try (TestServer again = TestServer.start(storage, tls)) {
            assertTrue(again.port() > 0);
            assertEquals(java.util.Arrays.hashCode(first), java.util.Arrays.hashCode(Files.readAllBytes(dir.resolve("tls-self-signed.pem"))),
                    "the demo certificate is generated once and kept");
        }
    }
}
