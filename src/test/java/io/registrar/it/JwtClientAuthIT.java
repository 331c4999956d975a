package io.registrar.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.registrar.support.Assertions;
import io.registrar.support.JwksServer;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** private_key_jwt and client_secret_jwt (RFC 7523, OpenID Connect Core §9), for static and dynamic clients. */
class JwtClientAuthIT {

    static RSAKey staticKey;
    static JwksServer jwksServer;
    static TestServer server;
    static TestHttp http;
    static String tokenEndpoint;

    @BeforeAll
    static void start() throws Exception {
        staticKey = new RSAKeyGenerator(2048).keyID("static-1").generate();
        jwksServer = new JwksServer();
        server = TestServer.start(TestDatabase.H2, """
                outbound:
                  allowHttp: true
                  allowPrivateAddresses: true
                  jwksRefetchFloor: 0s
                """, TestServer.staticClients("""
                  - clientId: jwt-initial
                    authMethod: private_key_jwt
                    scopes: [dcr]
                    jwks: %s
                  - clientId: hmac-resource
                    clientSecret: hmac-resource-secret-0123456789-abcdef
                    authMethod: client_secret_jwt
                    scopes: [api]
                """.formatted(new JWKSet(staticKey.toPublicJWK()).toString())));
        http = server.http;
        tokenEndpoint = server.issuer() + "/token";
    }

    @AfterAll
    static void stop() {
        server.close();
        jwksServer.close();
    }

    private static Response token(String assertion) {
        return http.postForm("/token", Assertions.tokenForm(assertion));
    }

    private static String dcrTokenByAssertion() {
        Response r = token(Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint).jwt());
        assertEquals(200, r.status(), r.body());
        assertEquals("dcr", r.string("scope"));
        return r.string("access_token");
    }

    /** Registers a private_key_jwt client with its keys at jwks_uri; returns its client_id. */
    private static String registerJwksUriClient(String jwksUri) {
        Response r = http.postJson("/register", dcrTokenByAssertion(), """
                {"token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "%s",
                 "grant_types": ["client_credentials"], "response_types": [], "scope": "api"}""".formatted(jwksUri));
        assertEquals(201, r.status(), r.body());
        assertTrue(r.json().get("client_secret") == null, "a private_key_jwt client gets no secret");
        return r.string("client_id");
    }

    @Test
    void staticInitialClientAuthenticatesWithAnAssertionAndRegisters() {
        String dcr = dcrTokenByAssertion();
        Response r = http.postJson("/register", dcr, """
                {"redirect_uris": ["https://app.example/cb"], "client_name": "via private_key_jwt"}""");
        assertEquals(201, r.status(), r.body());
    }

    @Test
    void dynamicClientWithJwksUriRotatesItsKeysThroughAnUnknownKid() throws Exception {
        ECKey first = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        try (JwksServer own = new JwksServer()) {
            own.serve(new JWKSet(first.toPublicJWK()).toString());
            String clientId = registerJwksUriClient(own.url());
            assertEquals(200, token(Assertions.signedBy(first, clientId, tokenEndpoint).jwt()).status());
            assertEquals(200, token(Assertions.signedBy(first, clientId, server.issuer()).jwt()).status(),
                    "the issuer is an accepted audience too");
            assertEquals(1, own.fetches(), "the JWK Set is cached");

            ECKey second = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
            own.serve(new JWKSet(second.toPublicJWK()).toString());
            Response rotated = token(Assertions.signedBy(second, clientId, tokenEndpoint).jwt());
            assertEquals(200, rotated.status(), rotated.body());
            assertEquals(2, own.fetches(), "an unknown kid made the server fetch the keys again");
        }
    }

    @Test
    void refetchesForUnknownKidsAreRateLimited() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        try (JwksServer own = new JwksServer();
             TestServer slow = TestServer.start(TestDatabase.H2, """
                     outbound:
                       allowHttp: true
                       allowPrivateAddresses: true
                       jwksRefetchFloor: 1h
                     """)) {
            own.serve(new JWKSet(key.toPublicJWK()).toString());
            String dcr = slow.http.dcrToken();
            Response reg = slow.http.postJson("/register", dcr, """
                    {"token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "%s",
                     "grant_types": ["client_credentials"], "response_types": []}""".formatted(own.url()));
            assertEquals(201, reg.status(), reg.body());
            String clientId = reg.string("client_id");
            String aud = slow.issuer() + "/token";
            assertEquals(200, slow.http.postForm("/token", Assertions.tokenForm(Assertions.signedBy(key, clientId, aud).jwt())).status());
            for (int i = 0; i < 3; i++) {
                slow.http.postForm("/token", Assertions.tokenForm(Assertions.signedBy(key, clientId, aud).kid("made-up-" + i).jwt()))
                        .assertError(401, "invalid_client");
            }
            assertEquals(1, own.fetches(), "unknown kids within the floor do not trigger fetches");
        }
    }

    @Test
    void assertionsThatBreakARuleAreRefused() throws Exception {
        String now = UUID.randomUUID().toString();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("wrong aud", Assertions.signedBy(staticKey, "jwt-initial", "https://elsewhere.example/token").jwt());
        cases.put("expired", Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint)
                .exp(Instant.now().minus(Duration.ofMinutes(5))).jwt());
        cases.put("exp far ahead", Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint)
                .exp(Instant.now().plus(Duration.ofDays(1))).jwt());
        cases.put("no exp", Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint).exp(null).jwt());
        cases.put("no jti", Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint).jti(null).jwt());
        cases.put("iss differs from sub", Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint).iss("someone-else").jwt());
        cases.put("alg none", Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint).unsecured());
        // The classic key-confusion attack: an HMAC keyed with the client's public key.
        cases.put("HMAC-signed private_key_jwt", Assertions.hmac(
                Base64.getEncoder().encodeToString(staticKey.toPublicKey().getEncoded()), JWSAlgorithm.HS256,
                "jwt-initial", tokenEndpoint).jwt());
        cases.put("signed by another key", Assertions.signedBy(new RSAKeyGenerator(2048).keyID("static-1").generate(),
                "jwt-initial", tokenEndpoint).jwt());
        cases.put("unknown kid", Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint).kid("nope").jwt());
        cases.put("unknown client", Assertions.signedBy(staticKey, "no-such-client", tokenEndpoint).jwt());
        cases.put("not a JWT", "not-a-jwt-" + now);
        cases.forEach((name, assertion) -> {
            Response r = token(assertion);
            assertEquals(401, r.status(), name + ": " + r.body());
            r.assertError(401, "invalid_client");
        });

        Map<String, String> wrongType = Assertions.tokenForm(Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint).jwt());
        wrongType.put("client_assertion_type", "urn:example:other");
        http.postForm("/token", wrongType).assertError(400, "invalid_request");

        Map<String, String> mismatch = Assertions.tokenForm(Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint).jwt());
        mismatch.put("client_id", "initial-client");
        http.postForm("/token", mismatch).assertError(401, "invalid_client");
    }

    @Test
    void aJtiIsAcceptedOnce() {
        String assertion = Assertions.signedBy(staticKey, "jwt-initial", tokenEndpoint).jwt();
        assertEquals(200, token(assertion).status());
        Response replay = token(assertion).assertError(401, "invalid_client");
        assertTrue(replay.string("error_description").contains("jti"), replay.body());
    }

    @Test
    void privateKeyJwtCannotFallBackToASecretAndSecretClientsCannotUseAssertions() {
        http.postForm("/token", Map.of("grant_type", "client_credentials", "client_id", "jwt-initial",
                "client_secret", "guess-guess-guess")).assertError(401, "invalid_client");
        String assertion = Assertions.signedBy(staticKey, TestServer.INITIAL_CLIENT, tokenEndpoint).jwt();
        token(assertion).assertError(401, "invalid_client");
    }

    @Test
    void everyAsymmetricAlgorithmWorks() throws Exception {
        RSAKey pss = new RSAKeyGenerator(2048).keyID("ps").generate();
        ECKey es = new ECKeyGenerator(Curve.P_256).keyID("es").generate();
        OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed").generate();
        Response reg = http.postJson("/register", dcrTokenByAssertion(), """
                {"token_endpoint_auth_method": "private_key_jwt", "jwks": %s,
                 "grant_types": ["client_credentials"], "response_types": []}"""
                .formatted(new JWKSet(java.util.List.<JWK>of(pss.toPublicJWK(), es.toPublicJWK(), ed.toPublicJWK()))));
        assertEquals(201, reg.status(), reg.body());
        String id = reg.string("client_id");
        assertEquals(200, token(Assertions.signedBy(pss, id, tokenEndpoint).alg(JWSAlgorithm.PS256).jwt()).status(), "PS256");
        assertEquals(200, token(Assertions.signedBy(es, id, tokenEndpoint).jwt()).status(), "ES256");
        assertEquals(200, token(Assertions.signedBy(ed, id, tokenEndpoint).jwt()).status(), "EdDSA");
        assertEquals(200, token(Assertions.signedBy(es, id, tokenEndpoint).kid(null).jwt()).status(), "no kid: any key of the type");
    }

    @Test
    void clientSecretJwtForStaticAndDynamicClients() {
        String secret = "hmac-resource-secret-0123456789-abcdef";
        Response own = token(Assertions.hmac(secret, JWSAlgorithm.HS256, "hmac-resource", tokenEndpoint).jwt());
        assertEquals(200, own.status(), own.body());

        Response reg = http.postJson("/register", dcrTokenByAssertion(), """
                {"token_endpoint_auth_method": "client_secret_jwt", "token_endpoint_auth_signing_alg": "HS512",
                 "grant_types": ["client_credentials"], "response_types": [], "scope": "api"}""");
        assertEquals(201, reg.status(), reg.body());
        String id = reg.string("client_id");
        String issued = reg.string("client_secret");
        assertTrue(issued.length() >= 86, "512 bits, enough for HS512");
        assertEquals(200, token(Assertions.hmac(issued, JWSAlgorithm.HS512, id, tokenEndpoint).jwt()).status());
        token(Assertions.hmac(issued, JWSAlgorithm.HS256, id, tokenEndpoint).jwt())
                .assertError(401, "invalid_client"); // registered HS512 only
        token(Assertions.hmac(issued.substring(1) + "x", JWSAlgorithm.HS512, id, tokenEndpoint).jwt())
                .assertError(401, "invalid_client");

        // After a rotation (RFC 7592 GET) the new secret works and the old one does not.
        Response read = http.get(reg.string("registration_client_uri"), reg.string("registration_access_token"));
        assertEquals(200, read.status(), read.body());
        String rotated = read.string("client_secret");
        assertEquals(200, token(Assertions.hmac(rotated, JWSAlgorithm.HS512, id, tokenEndpoint).jwt()).status());
        token(Assertions.hmac(issued, JWSAlgorithm.HS512, id, tokenEndpoint).jwt()).assertError(401, "invalid_client");
    }

    @Test
    void registrationChecksTheSigningAlgAgainstTheMethod() {
        String dcr = dcrTokenByAssertion();
        http.postJson("/register", dcr, """
                {"token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "HS256",
                 "jwks_uri": "%s", "grant_types": ["client_credentials"], "response_types": []}""".formatted(jwksServer.url()))
                .assertError(400, "invalid_client_metadata");
    }

    @Test
    void introspectionAndRevocationAcceptAssertions() {
        String dcr = http.dcrToken();
        String secret = "hmac-resource-secret-0123456789-abcdef";
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", dcr);
        form.put("client_assertion_type", Assertions.JWT_BEARER);
        form.put("client_assertion", Assertions.hmac(secret, JWSAlgorithm.HS256, "hmac-resource", server.issuer() + "/introspect").jwt());
        Response in = http.postForm("/introspect", form);
        assertEquals(200, in.status(), in.body());
        assertEquals(true, in.json().get("active"));

        // jwt-initial revokes its own DCR token, authenticating with private_key_jwt.
        String own = dcrTokenByAssertion();
        Map<String, String> revoke = new LinkedHashMap<>();
        revoke.put("token", own);
        revoke.put("client_assertion_type", Assertions.JWT_BEARER);
        revoke.put("client_assertion", Assertions.signedBy(staticKey, "jwt-initial", server.issuer() + "/revoke").jwt());
        assertEquals(200, http.postForm("/revoke", revoke).status());
        assertEquals(false, http.introspect(own).json().get("active"));
    }

    @Test
    void jwksUriMustBeHttpsAndOutsideThePrivateNetworkByDefault() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
        try (JwksServer own = new JwksServer();
             TestServer strict = TestServer.start(TestDatabase.H2, "outbound:\n  allowHttp: true\n",
                     TestServer.staticClients("""
                       - clientId: by-name
                         authMethod: private_key_jwt
                         scopes: [api]
                         jwksUri: %s
                     """.formatted(own.url().replace("127.0.0.1", "localhost"))));
             TestServer httpsOnly = TestServer.start(TestDatabase.H2, "outbound:\n  allowPrivateAddresses: true\n")) {
            own.serve(new JWKSet(key.toPublicJWK()).toString());
            String body = """
                    {"token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "%s",
                     "grant_types": ["client_credentials"], "response_types": []}""";
            Response literal = strict.http.postJson("/register", strict.http.dcrToken(), body.formatted(own.url()))
                    .assertError(400, "invalid_client_metadata");
            assertTrue(literal.string("error_description").contains("private"), literal.body());
            Response link = strict.http.postJson("/register", strict.http.dcrToken(),
                    body.formatted("http://169.254.169.254/latest/meta-data")).assertError(400, "invalid_client_metadata");
            assertNotNull(link.string("error_description"));

            // A host name that resolves to loopback is caught where the connection is made.
            Response resolved = strict.http.postForm("/token", Assertions.tokenForm(
                    Assertions.signedBy(key, "by-name", strict.issuer() + "/token").jwt())).assertError(401, "invalid_client");
            assertTrue(resolved.string("error_description").contains("private"), resolved.body());
            assertEquals(0, own.fetches(), "nothing was fetched");

            httpsOnly.http.postJson("/register", httpsOnly.http.dcrToken(), body.formatted(own.url()))
                    .assertError(400, "invalid_client_metadata");
        }
    }

    @Test
    void anOversizedJwkSetIsRefused() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
        try (JwksServer big = new JwksServer();
             TestServer limited = TestServer.start(TestDatabase.H2, """
                     outbound:
                       allowHttp: true
                       allowPrivateAddresses: true
                       maxResponseBytes: 2048
                     """)) {
            big.serve("{\"keys\":[" + key.toPublicJWK().toJSONString() + "], \"padding\": \"" + "x".repeat(10_000) + "\"}");
            Response reg = limited.http.postJson("/register", limited.http.dcrToken(), """
                    {"token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "%s",
                     "grant_types": ["client_credentials"], "response_types": []}""".formatted(big.url()));
            assertEquals(201, reg.status(), reg.body());
            Response r = limited.http.postForm("/token", Assertions.tokenForm(
                    Assertions.signedBy(key, reg.string("client_id"), limited.issuer() + "/token").jwt()))
                    .assertError(401, "invalid_client");
            assertTrue(r.string("error_description").contains("larger"), r.body());
            assertFalse(r.body().contains("padding"));
        }
    }
}
