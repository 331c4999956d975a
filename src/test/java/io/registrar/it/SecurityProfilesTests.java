package io.registrar.it;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.registrar.support.Assertions;
import io.registrar.support.JwksServer;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestPki;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 §6, black-box: the shipped security profiles attached to each kind of way in (the server
 * default, an initial client's DCR tokens, a certificate issuer), as a client sees them: what they
 * refuse, what they set, what they keep enforcing after registration (PKCE at PAR, a statement on
 * every update, no rotation, one registration per software_id), discovery and GET /admin/profiles.
 * Statements and signed requests are made with Nimbus JOSE here. Runs once per store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SecurityProfilesTests {

    static final String DIRECTORY = "https://directory.test";
    static final String CB = "https://tpp.example/cb";

    TestPki pki;
    ECKey directoryKey;
    RSAKey softwareKey;
    JwksServer softwareKeys;
    /** registration.profile: fapi2 for every registration. */
    TestServer fapi;
    /** brazil-openfinance for certificates of the test issuing CA; au-cdr for the DCR tokens of cdr-initial. */
    TestServer ecosystem;

    abstract TestDatabase database();

    @BeforeAll
    void start() throws Exception {
        pki = new TestPki();
        directoryKey = new ECKeyGenerator(Curve.P_256).keyID("dir-1").generate();
        softwareKey = new RSAKeyGenerator(2048).keyID("sw-1").generate();
        TestPki.Issued tls = pki.server("CN=keys.test", pki.intermediate, "ip:127.0.0.1");
        softwareKeys = new JwksServer("127.0.0.1", tls.sslContext());
        softwareKeys.serve(new JWKSet(softwareKey.toPublicJWK()).toString());
        Path trust = Files.createTempFile(TestDatabase.tempDir(), "outbound-ca-", ".pem");
        Files.writeString(trust, TestPki.pem(pki.root.cert()));
        Path issuers = pki.trustedIssuersFile(true);
        String mtls = """
                server:
                  mtls:
                    enabled: true
                    port: 0
                    trustedIssuers: ["%s"]
                """.formatted(issuers);
        // A declarative rule that drops what the profile requires: the profile's rules hold all the same.
        fapi = TestServer.start(database(), mtls, """
                registration:
                  profile: fapi2
                  rules:
                    - name: no-par-please
                      drop: [require_pushed_authorization_requests]
                """);
        ecosystem = TestServer.start(database(), mtls, """
                outbound:
                  allowedAddresses: [127.0.0.1]
                  trustStore: %s
                registration:
                  authorization: [client_authenticates, user_authenticates, mutual_tls]
                  mutualTls:
                    trustedIssuers: ["%s"]
                    profiles:
                      - {issuer: "CN=Test Issuing CA,O=Registrar Tests,C=GB", profile: brazil-openfinance}
                  softwareStatements:
                    directories:
                      - issuer: %s
                        jwks: %s
                        algorithms: [ES256, PS256, RS256]
                """.formatted(trust, issuers, DIRECTORY, new JWKSet(directoryKey.toPublicJWK())),
                TestServer.staticClients("""
                          - clientId: cdr-initial
                            clientSecret: cdr-initial-secret-0123456789
                            authMethod: client_secret_basic
                            scopes: [dcr]
                            grantTypes: [client_credentials]
                            dcrToken: {uses: 0, profile: au-cdr}
                        """));
    }

    @AfterAll
    void stop() {
        fapi.close();
        ecosystem.close();
        softwareKeys.close();
    }

    // ---- minting, with Nimbus JOSE alone ----

    JWTClaimsSet.Builder statementClaims(String softwareId) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(DIRECTORY).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString()).claim("software_id", softwareId).claim("org_id", "org-1")
                .claim("software_redirect_uris", List.of(CB)).claim("software_jwks_uri", softwareKeys.url());
    }

    static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String statement(JWTClaimsSet.Builder claims) {
        return sign(directoryKey, JWSAlgorithm.ES256, claims.build());
    }

    static String json(Map<String, Object> body) {
        return JSONObjectUtils.toJSONString(body);
    }

    static Map<String, Object> codeClient() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("redirect_uris", List.of(CB));
        b.put("grant_types", List.of("authorization_code"));
        return b;
    }

    // ---- fapi2 as the server default ----

    @Test
    void fapi2GivesItsOwnDefaultsAndSetsWhatItRequires() throws Exception {
        Map<String, Object> body = codeClient();
        ECKey clientKey = new ECKeyGenerator(Curve.P_256).keyID("c-1").generate();
        body.put("jwks", Map.of("keys", List.of(clientKey.toPublicJWK().toJSONObject())));
        Response r = fapi.http.postJson("/register", fapi.http.dcrToken(), json(body));
        assertEquals(201, r.status(), r.body());
        assertEquals("private_key_jwt", r.string("token_endpoint_auth_method"));
        assertEquals("PS256", r.string("id_token_signed_response_alg"));
        assertEquals(true, r.json().get("tls_client_certificate_bound_access_tokens"));
        assertEquals(true, r.json().get("require_pushed_authorization_requests"), "set again after the rule dropped it");
        String clientId = r.string("client_id");

        // FAPI 2.0 §5.3.2.2: PKCE for every client. /par validates as /authorize does.
        String assertion = Assertions.signedBy(clientKey, clientId, fapi.issuer()).jwt();
        Map<String, String> push = new LinkedHashMap<>(Map.of("response_type", "code", "client_id", clientId, "redirect_uri", CB,
                "scope", "openid", "client_assertion_type", Assertions.JWT_BEARER, "client_assertion", assertion));
        Response noPkce = fapi.mtls(null).postForm("/par", push);
        noPkce.assertError(400, "invalid_request");
        assertTrue(noPkce.string("error_description").contains("security profile"), noPkce.body());
        push.put("client_assertion", Assertions.signedBy(clientKey, clientId, fapi.issuer()).jwt());
        push.put("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        push.put("code_challenge_method", "S256");
        Response pushed = fapi.mtls(null).postForm("/par", push);
        assertEquals(201, pushed.status(), pushed.body());
    }

    @Test
    void fapi2RefusesWhatItForbidsNamingTheRule() {
        Map<String, Map<String, Object>> refused = new LinkedHashMap<>();
        Map<String, Object> secret = codeClient();
        secret.put("token_endpoint_auth_method", "client_secret_basic");
        refused.put("invalid_client_metadata|token_endpoint_auth_method must be one of", secret);
        Map<String, Object> http = codeClient();
        http.put("redirect_uris", List.of("http://tpp.example/cb"));
        refused.put("invalid_redirect_uri|every redirect URI must be https", http);
        Map<String, Object> rs256 = codeClient();
        rs256.put("token_endpoint_auth_method", "tls_client_auth");
        rs256.put("tls_client_auth_subject_dn", "CN=tpp");
        rs256.put("id_token_signed_response_alg", "RS256");
        refused.put("invalid_client_metadata|id_token_signed_response_alg must be one of", rs256);
        refused.forEach((expected, body) -> {
            String[] e = expected.split("\\|");
            Response r = fapi.http.postJson("/register", fapi.http.dcrToken(), json(body));
            r.assertError(400, e[0]);
            assertTrue(r.string("error_description").startsWith("Security profile fapi2: "), r.body());
            assertTrue(r.string("error_description").contains(e[1]), r.body());
            assertFalse(r.json().containsKey("client_id"));
        });
    }

    @Test
    void discoveryAndTheAdminApiShowTheProfile() {
        Map<String, Object> m = fapi.http.get("/.well-known/openid-configuration", null).json();
        List<String> methods = TestHttp.list(m.get("token_endpoint_auth_methods_supported"));
        assertTrue(List.of("private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth").containsAll(methods), methods.toString());
        assertTrue(methods.contains("private_key_jwt"));
        assertTrue(List.of("PS256", "ES256", "EdDSA").containsAll(TestHttp.list(m.get("token_endpoint_auth_signing_alg_values_supported"))));
        // OpenID Connect Discovery 1.0 §3: RS256 is always listed for ID tokens.
        assertTrue(TestHttp.list(m.get("id_token_signing_alg_values_supported")).contains("RS256"));

        Response r = fapi.http.get("/admin/profiles", fapi.http.adminToken());
        assertEquals(200, r.status(), r.body());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> profiles = (List<Map<String, Object>>) r.json().get("profiles");
        assertEquals(List.of("fapi2", "uk-openbanking", "brazil-openfinance", "au-cdr"), profiles.stream().map(p -> p.get("name")).toList());
        assertEquals(List.of("server default (registration.profile)"), profiles.getFirst().get("applied_to"));
        assertTrue(String.valueOf(profiles.getFirst().get("source")).contains("FAPI 2.0"));
        fapi.http.get("/admin/profiles", fapi.http.dcrToken()).assertError(403, "insufficient_scope");
        assertEquals(401, fapi.http.get("/admin/profiles", null).status());
    }

    // ---- brazil-openfinance, attached to a certificate issuer ----

    private Response brazilRegistration(TestPki.Issued cert, String statement) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_types", List.of("client_credentials"));
        body.put("token_endpoint_auth_method", "tls_client_auth");
        if (statement != null) {
            body.put("software_statement", statement);
        }
        return ecosystem.mtls(cert).postJson("/register", null, json(body));
    }

    @Test
    void brazilNeedsAFreshStatementKeysFromItAndNeverRotates() {
        TestPki.Issued cert = pki.client("CN=tpp-br,O=TPP Brasil,C=BR", pki.intermediate);
        brazilRegistration(cert, null).assertError(400, "invalid_software_statement");
        Response stale = brazilRegistration(cert, statement(statementClaims("br-app")
                .issueTime(Date.from(Instant.now().minusSeconds(360)))));
        stale.assertError(400, "invalid_software_statement");
        assertTrue(stale.string("error_description").contains("more than 300 s ago"), stale.body());

        Response r = brazilRegistration(cert, statement(statementClaims("br-app")));
        assertEquals(201, r.status(), r.body());
        assertEquals(softwareKeys.url(), r.string("jwks_uri"), "jwks_uri comes from the statement");
        assertEquals(true, r.json().get("tls_client_certificate_bound_access_tokens"));
        String uri = "/register/" + r.string("client_id");
        String token = r.string("registration_access_token");
        Map<String, Object> view = ecosystem.http.get("/admin/clients/" + r.string("client_id"), ecosystem.http.adminToken()).json();
        assertEquals("brazil-openfinance", ((Map<?, ?>) view.get("origin")).get("profile"), view.toString());

        // DCM: no rotation, so the same token reads twice.
        assertEquals(200, ecosystem.mtls(cert).get(uri, token).status());
        Response again = ecosystem.mtls(cert).get(uri, token);
        assertEquals(200, again.status(), again.body());
        assertEquals(token, again.string("registration_access_token"));

        // A statement on every update; without one the update is refused and nothing changes.
        Map<String, Object> update = new LinkedHashMap<>(again.json());
        update.remove("registration_access_token");
        update.remove("registration_client_uri");
        update.remove("client_id_issued_at");
        update.remove("client_secret_expires_at");
        update.remove("registration_access_token_expires_in");
        update.remove("software_statement");
        update.put("client_name", "changed");
        ecosystem.mtls(cert).putJson(uri, token, json(update)).assertError(400, "invalid_software_statement");
        assertFalse("changed".equals(ecosystem.mtls(cert).get(uri, token).string("client_name")));
        // The rule binds the third party, not the operator (dcrm).
        Response byOperator = ecosystem.http.putJson(uri, ecosystem.http.adminToken(), json(update));
        assertEquals(200, byOperator.status(), byOperator.body());
        update.put("software_statement", statement(statementClaims("br-app")));
        Response updated = ecosystem.mtls(cert).putJson(uri, token, json(update));
        assertEquals(200, updated.status(), updated.body());
        assertEquals("changed", updated.string("client_name"));
    }

    @Test
    void brazilRefusesKeysByValueAndOtherCertificatesFollowNoProfile() throws Exception {
        TestPki.Issued cert = pki.client("CN=tpp-br2,O=TPP Brasil,C=BR", pki.intermediate);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_types", List.of("client_credentials"));
        body.put("jwks", Map.of("keys", List.of(new ECKeyGenerator(Curve.P_256).generate().toPublicJWK().toJSONObject())));
        body.put("token_endpoint_auth_method", "private_key_jwt");
        body.put("software_statement", statement(statementClaims("br-app-2")));
        ecosystem.mtls(cert).postJson("/register", null, json(body)).assertError(400, "invalid_client_metadata");

        // The root's certificates chain to a trusted registration issuer but have no profile attached.
        TestPki.Issued plain = pki.client("CN=tpp-plain,O=Other,C=GB", pki.root);
        Response r = brazilRegistration(plain, null);
        assertEquals(201, r.status(), r.body());
    }

    // ---- au-cdr, attached to one initial client's DCR tokens ----

    private String cdrToken() {
        return ecosystem.http.clientCredentialsToken("cdr-initial", "cdr-initial-secret-0123456789").string("access_token");
    }

    private String signedRequest(String softwareId) {
        return signedRequest(softwareId, softwareKey, JWSAlgorithm.PS256);
    }

    private String signedRequest(String softwareId, JWK key, JWSAlgorithm alg) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(softwareId).audience(ecosystem.issuer()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
                .claim("grant_types", List.of("authorization_code")).claim("redirect_uris", List.of(CB))
                .claim("token_endpoint_auth_method", "private_key_jwt").claim("jwks_uri", softwareKeys.url())
                .claim("software_statement", statement(statementClaims(softwareId))).build();
        return sign(key, alg, claims);
    }

    @Test
    void cdrWantsASignedRequestAndOneRegistrationPerSoftwareProduct() {
        Map<String, Object> plain = codeClient();
        plain.put("software_statement", statement(statementClaims("cdr-app")));
        Response unsigned = ecosystem.http.postJson("/register", cdrToken(), json(plain));
        unsigned.assertError(400, "invalid_client_metadata");
        assertTrue(unsigned.string("error_description").contains("Security profile au-cdr: the registration request must be a signed JWT"),
                unsigned.body());

        // The request itself is signed with PS256 too: RS256, which the directory accepts, is not the CDR's.
        Response rs256 = ecosystem.http.send("POST", "/register", Map.of("Authorization", "Bearer " + cdrToken(),
                "Content-Type", "application/jwt"), signedRequest("cdr-app", softwareKey, JWSAlgorithm.RS256));
        rs256.assertError(400, "invalid_client_metadata");
        assertTrue(rs256.string("error_description").contains("signed with RS256; it must be signed with one of [PS256]"), rs256.body());
        Response first = ecosystem.http.send("POST", "/register", Map.of("Authorization", "Bearer " + cdrToken(),
                "Content-Type", "application/jwt"), signedRequest("cdr-app"));
        assertEquals(201, first.status(), first.body());
        assertEquals("PS256", first.string("id_token_signed_response_alg"));
        Response second = ecosystem.http.send("POST", "/register", Map.of("Authorization", "Bearer " + cdrToken(),
                "Content-Type", "application/jwt"), signedRequest("cdr-app"));
        second.assertError(400, "invalid_client_metadata");
        assertTrue(second.string("error_description").contains("software_id 'cdr-app' is registered already"), second.body());
        Response other = ecosystem.http.send("POST", "/register", Map.of("Authorization", "Bearer " + cdrToken(),
                "Content-Type", "application/jwt"), signedRequest("cdr-app-2"));
        assertEquals(201, other.status(), other.body());

        // The standard initial client's tokens follow no profile on the same server.
        Response free = ecosystem.http.postJson("/register", ecosystem.http.dcrToken(), json(codeClient()));
        assertEquals(201, free.status(), free.body());
        assertEquals("client_secret_basic", free.string("token_endpoint_auth_method"));
    }
}
