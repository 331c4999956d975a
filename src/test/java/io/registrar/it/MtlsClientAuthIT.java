package io.registrar.it;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.registrar.support.CookieBrowser;
import io.registrar.support.MobileApp;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestPki;
import io.registrar.support.TestPki.Issued;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutual TLS (RFC 8705) over real TLS connections: tls_client_auth against a test PKI,
 * self_signed_tls_client_auth, certificate-bound tokens, and the proxy-header variant.
 */
class MtlsClientAuthIT {

    static final String PARTNER_DN = "CN=partner-initial,O=Partner Ltd,C=GB";
    static TestPki pki;
    static Path trusted;
    static TestServer server;

    @BeforeAll
    static void start() {
        pki = new TestPki();
        trusted = pki.trustedIssuersFile(false);
        server = TestServer.start(TestDatabase.H2, """
                server:
                  mtls:
                    enabled: true
                    port: 0
                    trustedIssuers: ["%s"]
                """.formatted(trusted), TestServer.staticClients("""
                  - clientId: partner-initial
                    authMethod: tls_client_auth
                    scopes: [dcr]
                    tlsClientAuthSubjectDn: "%s"
                    certificateIssuerDn: "CN=Test Issuing CA,O=Registrar Tests,C=GB"
                  - clientId: bound-initial
                    authMethod: tls_client_auth
                    scopes: [dcr]
                    tlsClientAuthSanDns: bound.partner.example
                    certificateBoundAccessTokens: true
                """.formatted(PARTNER_DN)), "users:\n  - {username: dave, password: dave-password-1}\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response tokenAs(TestHttp http, String clientId) {
        return http.postForm("/token", Map.of("grant_type", "client_credentials", "client_id", clientId));
    }

    /** Registers {@code json} (a client_credentials client) with a DCR token of the standard initial client. */
    private static String register(String json) {
        Response r = server.http.register(json);
        return r.string("client_id");
    }

    @Test
    void discoveryAdvertisesTheMtlsListener() {
        Map<String, Object> m = server.http.get("/.well-known/openid-configuration", null).json();
        @SuppressWarnings("unchecked")
        Map<String, Object> aliases = (Map<String, Object>) m.get("mtls_endpoint_aliases");
        assertEquals(server.mtls(null).base + "/token", aliases.get("token_endpoint"));
        assertEquals(server.mtls(null).base + "/revoke", aliases.get("revocation_endpoint"));
        assertEquals(server.mtls(null).base + "/par", aliases.get("pushed_authorization_request_endpoint"));
        assertTrue(TestHttp.list(m.get("token_endpoint_auth_methods_supported")).containsAll(
                java.util.List.of("tls_client_auth", "self_signed_tls_client_auth")));
        assertEquals(true, m.get("tls_client_certificate_bound_access_tokens"));
    }

    @Test
    void tlsClientAuthChecksChainSubjectAndPinnedIssuerAndSurvivesRenewal() {
        Issued cert = pki.client(PARTNER_DN, pki.intermediate);
        Response ok = tokenAs(server.mtls(cert), "partner-initial");
        assertEquals(200, ok.status(), ok.body());
        assertEquals("dcr", ok.string("scope"));

        Issued renewed = pki.client(PARTNER_DN, pki.intermediate);
        assertEquals(200, tokenAs(server.mtls(renewed), "partner-initial").status(), "a renewed certificate (new key, same subject) works");

        Instant now = Instant.now();
        Map<String, Issued> refused = new java.util.LinkedHashMap<>();
        refused.put("untrusted CA with the same name as the trusted one", pki.client(PARTNER_DN, pki.untrustedRoot));
        refused.put("trusted, but not the pinned issuer", pki.client(PARTNER_DN, pki.otherRoot));
        refused.put("expired", pki.client(PARTNER_DN, pki.intermediate, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
        refused.put("not yet valid", pki.client(PARTNER_DN, pki.intermediate, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))));
        refused.put("other subject", pki.client("CN=someone-else,O=Partner Ltd,C=GB", pki.intermediate));
        refused.put("self-signed", pki.selfSigned(PARTNER_DN));
        refused.forEach((name, c) -> {
            Response r = tokenAs(server.mtls(c), "partner-initial");
            assertEquals(401, r.status(), name + ": " + r.body());
            r.assertError(401, "invalid_client");
        });
        tokenAs(server.mtls(null), "partner-initial").assertError(401, "invalid_client");
        tokenAs(server.http, "partner-initial").assertError(401, "invalid_client");
    }

    @Test
    void subjectDnMatchesInEitherOrderAndCase() {
        String id = register("""
                {"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "C=GB, O=Acme Devices, CN=device-7",
                 "grant_types": ["client_credentials"], "response_types": [], "scope": "api"}""");
        assertEquals(200, tokenAs(server.mtls(pki.client("CN=device-7,O=Acme Devices,C=GB", pki.intermediate)), id).status());
        assertEquals(200, tokenAs(server.mtls(pki.client("cn=DEVICE-7, o=acme devices, c=gb", pki.intermediate)), id).status());
        tokenAs(server.mtls(pki.client("CN=device-8,O=Acme Devices,C=GB", pki.intermediate)), id).assertError(401, "invalid_client");
        tokenAs(server.mtls(pki.client("CN=device-7,O=Acme Devices,OU=Extra,C=GB", pki.intermediate)), id)
                .assertError(401, "invalid_client");
        server.http.postJson("/register", server.http.dcrToken(), """
                {"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "not a dn",
                 "grant_types": ["client_credentials"], "response_types": []}""").assertError(400, "invalid_client_metadata");
    }

    @Test
    void eachSanParameterMatchesOnlyItsOwnValue() {
        Map<String, String[]> cases = Map.of(
                "tls_client_auth_san_dns\": \"api.acme.example", new String[]{"dns:api.acme.example", "dns:other.acme.example"},
                "tls_client_auth_san_uri\": \"spiffe://acme/device/9", new String[]{"uri:spiffe://acme/device/9", "uri:spiffe://acme/device/10"},
                "tls_client_auth_san_ip\": \"2001:db8::7", new String[]{"ip:2001:0db8:0:0:0:0:0:7", "ip:2001:db8::8"},
                "tls_client_auth_san_email\": \"device@Acme.example", new String[]{"email:device@acme.EXAMPLE", "email:Device@acme.example"});
        cases.forEach((param, sans) -> {
            String id = register("""
                    {"token_endpoint_auth_method": "tls_client_auth", "%s",
                     "grant_types": ["client_credentials"], "response_types": []}""".formatted(param));
            Response ok = tokenAs(server.mtls(pki.client("CN=any", pki.intermediate, sans[0])), id);
            assertEquals(200, ok.status(), param + ": " + ok.body());
            Response mismatch = tokenAs(server.mtls(pki.client("CN=any", pki.intermediate, sans[1])), id);
            assertEquals(401, mismatch.status(), param + " must not match " + sans[1]);
        });
        server.http.postJson("/register", server.http.dcrToken(), """
                {"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_san_dns": "a.example",
                 "tls_client_auth_san_uri": "https://a.example", "grant_types": ["client_credentials"], "response_types": []}""")
                .assertError(400, "invalid_client_metadata");
    }

    /** RFC 9126 §2: /par authenticates clients as the token endpoint does, by certificate too. */
    @Test
    void aSelfSignedTlsClientPushesItsAuthorizationRequestOverMtls() {
        Issued device = pki.selfSigned("CN=par-device");
        ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) device.cert().getPublicKey()).keyID("par").build();
        String id = register("""
                {"token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": %s,
                 "redirect_uris": ["https://app.example.com/cb"], "grant_types": ["authorization_code"], "scope": "openid"}"""
                .formatted(new JWKSet(jwk)));
        MobileApp app = new MobileApp(id, "https://app.example.com/cb");
        Map<String, String> form = Map.of("response_type", "code", "client_id", id, "redirect_uri", app.redirectUri,
                "scope", "openid", "code_challenge", app.challenge(), "code_challenge_method", "S256");
        Response pushed = server.mtls(device).postForm("/par", form);
        assertEquals(201, pushed.status(), pushed.body());
        assertTrue(pushed.string("request_uri").startsWith("urn:ietf:params:oauth:request_uri:"));
        server.mtls(pki.selfSigned("CN=par-device")).postForm("/par", form).assertError(401, "invalid_client");
        server.mtls(null).postForm("/par", form).assertError(401, "invalid_client");
    }

    @Test
    void selfSignedCertificateMatchesARegisteredKey() {
        Issued device = pki.selfSigned("CN=my-phone");
        ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) device.cert().getPublicKey()).keyID("phone").build();
        String id = register("""
                {"token_endpoint_auth_method": "self_signed_tls_client_auth", "jwks": %s,
                 "grant_types": ["client_credentials"], "response_types": []}""".formatted(new JWKSet(jwk)));
        assertEquals(200, tokenAs(server.mtls(device), id).status());
        tokenAs(server.mtls(pki.selfSigned("CN=my-phone")), id).assertError(401, "invalid_client");
        tokenAs(server.mtls(null), id).assertError(401, "invalid_client");
    }

    @Test
    void boundTokensWorkOnlyWithTheirCertificate() {
        Issued cert = pki.client("CN=bound", pki.intermediate, "dns:bound.partner.example");
        TestHttp withCert = server.mtls(cert);
        Response dcr = tokenAs(withCert, "bound-initial");
        assertEquals(200, dcr.status(), dcr.body());
        String token = dcr.string("access_token");

        Map<String, Object> introspected = server.http.introspect(token).json();
        assertEquals(Map.of("x5t#S256", cert.thumbprint()), introspected.get("cnf"));

        String body = "{\"redirect_uris\": [\"https://app.example/cb\"]}";
        server.http.postJson("/register", token, body).assertError(401, "invalid_token");
        server.mtls(pki.client("CN=bound", pki.intermediate, "dns:bound.partner.example"))
                .postJson("/register", token, body).assertError(401, "invalid_token");
        assertEquals(201, withCert.postJson("/register", token, body).status(), "with its own certificate");

        // A dynamic client asks for bound tokens and authenticates with a secret over mTLS.
        Response reg = server.http.register("""
                {"token_endpoint_auth_method": "client_secret_basic", "tls_client_certificate_bound_access_tokens": true,
                 "grant_types": ["client_credentials"], "response_types": [], "scope": "api"}""");
        String id = reg.string("client_id");
        String secret = reg.string("client_secret");
        Issued any = pki.selfSigned("CN=whatever");
        Response bound = server.mtls(any).clientCredentialsToken(id, secret);
        assertEquals(200, bound.status(), bound.body());
        assertEquals(Map.of("x5t#S256", any.thumbprint()), server.http.introspect(bound.string("access_token")).json().get("cnf"));
        server.http.clientCredentialsToken(id, secret).assertError(400, "invalid_request");
    }

    @Test
    void proxyHeaderIsBelievedOnlyFromConfiguredProxies() {
        Issued cert = pki.client(PARTNER_DN, pki.intermediate);
        String staticClient = TestServer.staticClients("""
                  - clientId: partner-initial
                    authMethod: tls_client_auth
                    scopes: [dcr]
                    tlsClientAuthSubjectDn: "%s"
                """.formatted(PARTNER_DN));
        String proxied = """
                server:
                  trustedProxies: [%s]
                  mtls:
                    enabled: true
                    proxyHeader: X-SSL-Client-Cert
                    trustedIssuers: ["%s"]
                """;
        Path withIntermediate = pki.trustedIssuersFile(true);
        try (TestServer behindProxy = TestServer.start(TestDatabase.H2, proxied.formatted("127.0.0.1", withIntermediate), staticClient);
             TestServer otherProxy = TestServer.start(TestDatabase.H2, proxied.formatted("10.9.9.9", withIntermediate), staticClient)) {
            Map<String, String> headers = Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "X-SSL-Client-Cert", cert.urlEncodedPem());
            String form = "grant_type=client_credentials&client_id=partner-initial";
            Response ok = behindProxy.http.send("POST", "/token", headers, form);
            assertEquals(200, ok.status(), ok.body());
            otherProxy.http.send("POST", "/token", headers, form).assertError(401, "invalid_client");
            server.http.send("POST", "/token", headers, form).assertError(401, "invalid_client");
            behindProxy.http.send("POST", "/token", Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "X-SSL-Client-Cert", "garbage"), form).assertError(400, "invalid_request");
        }
    }

    /**
     * RFC 8705 §4 (issue 4 §3): a public client has no credentials, so its refresh tokens are bound to
     * the certificate it presented when they were issued; a refresh needs that certificate again.
     */
    @Test
    void refreshTokensOfPublicClientsAreBoundToTheirCertificate() {
        String clientId = server.http.register("""
                {"application_type":"native","token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1/callback"],
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid",
                 "tls_client_certificate_bound_access_tokens":true}""").string("client_id");
        MobileApp app = new MobileApp(clientId, "http://127.0.0.1/callback");
        CookieBrowser browser = new CookieBrowser(server.http);
        String code = CookieBrowser.redirectParams(browser.signIn(browser.get(app.authorizePath("openid")), "dave", "dave-password-1"))
                .get("code");
        Issued device = pki.selfSigned("CN=device-key");
        Response tokens = server.mtls(device).postForm("/token", app.codeForm(code, true));
        assertEquals(200, tokens.status(), tokens.body());
        String refreshToken = tokens.string("refresh_token");
        assertEquals(Map.of("x5t#S256", device.thumbprint()), server.http.introspect(refreshToken).json().get("cnf"));
        assertEquals(Map.of("x5t#S256", device.thumbprint()), server.http.introspect(tokens.string("access_token")).json().get("cnf"));

        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken);
        server.mtls(pki.selfSigned("CN=thief-key")).postForm("/token", refresh).assertError(400, "invalid_grant");
        server.mtls(null).postForm("/token", refresh).assertError(400, "invalid_grant");
        Response refreshed = server.mtls(device).postForm("/token", refresh);
        assertEquals(200, refreshed.status(), refreshed.body());
        assertEquals(Map.of("x5t#S256", device.thumbprint()),
                server.http.introspect(refreshed.string("refresh_token")).json().get("cnf"));
    }
}
