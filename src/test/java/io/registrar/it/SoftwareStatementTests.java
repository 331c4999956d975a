package io.registrar.it;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.registrar.support.JwksServer;
import io.registrar.support.SteppingClock;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestPki;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Software statements (RFC 7591 §2.3) and signed registration requests (issue 20 §3, §4), black-box
 * over HTTP. The directory and the software publish their keys over https from this test (certificates
 * from {@link TestPki}; the server trusts the test root through the directory's own trust store), and
 * every statement and signed request is made with Nimbus JOSE's {@code SignedJWT} here, independently of
 * the server's code. Runs once per store (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SoftwareStatementTests {

    static final String DIRECTORY = "https://directory.test";
    static final String SLOW = "https://slow.test";
    static final String UNREACHABLE = "https://unreachable.test";
    static final String INLINE = "https://inline.test";
    static final String MISTRUSTED = "https://mistrusted.test";
    static final String SOFTWARE_ID = "acme-payments";
    static final String CB = "https://acme.example/cb";

    abstract TestDatabase database();

    final SteppingClock clock = new SteppingClock();
    TestPki pki;
    Path trustStore;
    Path otherTrustStore;
    JwksServer directoryKeys;
    JwksServer softwareKeys;
    JwksServer slowKeys;
    volatile RSAKey directoryKey;
    RSAKey softwareKey;
    ECKey inlineKey;
    TestServer server;

    @BeforeAll
    void start() throws Exception {
        pki = new TestPki();
        TestPki.Issued tls = pki.server("CN=directory.test", pki.intermediate, "ip:127.0.0.1");
        trustStore = Files.createTempFile("directory-ca", ".pem");
        Files.writeString(trustStore, TestPki.pem(pki.root.cert()));
        otherTrustStore = Files.createTempFile("other-ca", ".pem");
        Files.writeString(otherTrustStore, TestPki.pem(pki.otherRoot.cert()));
        directoryKeys = new JwksServer("127.0.0.1", tls.sslContext());
        softwareKeys = new JwksServer("127.0.0.1", tls.sslContext());
        slowKeys = new JwksServer("127.0.0.1", tls.sslContext());
        directoryKey = new RSAKeyGenerator(2048).keyID("dir-1").generate();
        softwareKey = new RSAKeyGenerator(2048).keyID("sw-1").generate();
        inlineKey = new ECKeyGenerator(Curve.P_256).keyID("inline-1").generate();
        directoryKeys.serve(new JWKSet(directoryKey.toPublicJWK()).toString());
        softwareKeys.serve(new JWKSet(softwareKey.toPublicJWK()).toString());
        slowKeys.serve(new JWKSet(directoryKey.toPublicJWK()).toString());
        slowKeys.stall(Duration.ofSeconds(10));
        server = TestServer.start(clock, database(), config(""));
    }

    /**
     * Outbound to loopback allowed (the test's https servers, whose root outbound.trustStore adds), short
     * timeouts, and five directories; the last trusts only another CA for its https, so its keys, on the
     * same server as the first's, are out of reach.
     */
    String config(String byWay) {
        return """
                outbound:
                  allowedAddresses: [127.0.0.1]
                  connectTimeout: 1s
                  readTimeout: 1s
                  trustStore: %s
                registration:
                  allowedScopes: [openid, profile, email, api, accounts, payments]
                  softwareStatements:
                    directories:
                      - issuer: %s
                        jwksUri: %s
                        trustStore: %s
                        maxAge: 1h
                        requiredClaims: [software_id, org_id]
                        approval:
                          claimEquals: {org_status: Active}
                          claimContainsAny: {software_roles: [AISP, PISP]}
                          deniedSoftwareIds: [banned-software]
                        roleScopes: {AISP: [openid, accounts], PISP: [openid, payments]}
                        requireJwksUriFromStatement: true
                      - {issuer: %s, jwksUri: "%s", trustStore: %s}
                      - {issuer: %s, jwksUri: "https://127.0.0.1:1/jwks"}
                      - issuer: %s
                        jwks: %s
                        algorithms: [ES256]
                        requiredOnUpdate: true
                      - {issuer: %s, jwksUri: "%s", trustStore: %s}
                """.formatted(trustStore, DIRECTORY, directoryKeys.url(), trustStore, SLOW, slowKeys.url(), trustStore, UNREACHABLE, INLINE,
                new JWKSet(inlineKey.toPublicJWK()).toString(), MISTRUSTED, directoryKeys.url(), otherTrustStore) + byWay;
    }

    @AfterAll
    void stop() {
        server.close();
        directoryKeys.close();
        softwareKeys.close();
        slowKeys.close();
    }

    // ---- minting, with Nimbus JOSE alone ----

    JWTClaimsSet.Builder statementClaims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(DIRECTORY)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .jwtID(UUID.randomUUID().toString())
                .claim("software_id", SOFTWARE_ID)
                .claim("software_version", "1.2")
                .claim("org_id", "org-1")
                .claim("org_name", "Acme Ltd")
                .claim("org_status", "Active")
                .claim("software_roles", List.of("AISP"))
                .claim("software_redirect_uris", List.of(CB, CB + "2"))
                .claim("software_jwks_uri", softwareKeys.url())
                .claim("client_name", "Acme Payments");
    }

    String statement(JWTClaimsSet.Builder claims) {
        return sign(directoryKey, JWSAlgorithm.PS256, claims.build());
    }

    String statement() {
        return statement(statementClaims());
    }

    static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Map<String, Object> body) {
        return JSONObjectUtils.toJSONString(body);
    }

    /** A client_credentials client carrying {@code statement}, with a body that says otherwise where it can. */
    static Map<String, Object> body(String statement) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("client_name", "What the body says");
        b.put("grant_types", List.of("client_credentials"));
        b.put("scope", "accounts payments api");
        if (statement != null) {
            b.put("software_statement", statement);
        }
        return b;
    }

    Response register(Map<String, Object> body) {
        return server.http.postJson("/register", server.http.dcrToken(), json(body));
    }

    /** A signed registration request: the metadata and the statement as claims, signed with the software's key. */
    JWTClaimsSet.Builder requestClaims(String statement) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(SOFTWARE_ID)
                .audience(server.issuer())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString())
                .claim("grant_types", List.of("client_credentials"))
                .claim("scope", "accounts")
                .claim("software_statement", statement);
    }

    static Response postSigned(TestServer node, String dcrToken, String jws, String contentType) {
        return node.http.send("POST", "/register", Map.of("Authorization", "Bearer " + dcrToken, "Content-Type", contentType), jws);
    }

    Map<String, Object> adminView(String clientId) {
        Response r = server.http.get("/admin/clients/" + clientId, server.http.adminToken());
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    // ---- statements ----

    @Test
    void aStatementsClaimsWinOverTheBodyAndTheResponseShowsWhatWasStored() {
        String statement = statement();
        Response r = register(body(statement));
        assertEquals(201, r.status(), r.body());
        // RFC 7591 §2.3: the statement wins; §3.2.1: it comes back unmodified, its metadata as members.
        assertEquals("Acme Payments", r.string("client_name"));
        assertEquals(statement, r.string("software_statement"));
        assertEquals(SOFTWARE_ID, r.string("software_id"));
        assertEquals("1.2", r.string("software_version"));
        // software_roles [AISP] allow openid and accounts: payments and api are dropped.
        assertEquals("accounts", r.string("scope"));
        // Directory claims are not client metadata: kept with the client, not members of it.
        assertNull(r.json().get("org_id"));

        // What is stored is what the response showed.
        Response read = server.http.get("/register/" + r.string("client_id"), r.string("registration_access_token"));
        assertEquals(200, read.status(), read.body());
        for (String member : List.of("client_name", "software_statement", "software_id", "software_version", "scope", "grant_types")) {
            assertEquals(r.json().get(member), read.json().get(member), member);
        }
        // Operators see the statement and its claims.
        @SuppressWarnings("unchecked")
        Map<String, Object> origin = (Map<String, Object>) adminView(r.string("client_id")).get("origin");
        assertEquals(statement, origin.get("software_statement"));
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = (Map<String, Object>) origin.get("statement_claims");
        assertEquals("org-1", claims.get("org_id"));
        assertEquals("Acme Ltd", claims.get("org_name"));
        assertEquals(List.of("AISP"), claims.get("software_roles"));
    }

    @Test
    void eachFailedCheckIsInvalidSoftwareStatementNamingIt() throws Exception {
        Instant now = clock.instant();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(directoryKey.getKeyID()).generate();
        String good = statement();
        String[] parts = good.split("\\.");
        String tamperedPayload = Base64URL.encode(new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("Acme Payments", "Evil Payments")).toString();
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), statementClaims().build());
        hmac.sign(new MACSigner(new byte[32]));

        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("a JSON object|not a JSON object", Map.of("iss", DIRECTORY, "software_id", SOFTWARE_ID));
        cases.put("not a JWT|is not a JWT", "not-a-jwt");
        cases.put("alg none|unsecured (alg none)", new PlainJWT(statementClaims().build()).serialize());
        cases.put("HMAC|alg HS256 is not accepted", hmac.serialize());
        cases.put("RS256 not listed|alg RS256 is not accepted", sign(directoryKey, JWSAlgorithm.RS256, statementClaims().build()));
        cases.put("untrusted iss|'https://other.test' is not a trusted directory",
                statement(statementClaims().issuer("https://other.test")));
        cases.put("no iss|has no iss", statement(statementClaims().issuer(null)));
        cases.put("another key, same kid|signature does not verify", sign(stranger, JWSAlgorithm.PS256, statementClaims().build()));
        cases.put("tampered payload|signature does not verify", parts[0] + "." + tamperedPayload + "." + parts[2]);
        cases.put("expired|has expired (exp)", statement(statementClaims().expirationTime(Date.from(now.minusSeconds(120)))));
        cases.put("not yet valid|not valid yet (nbf)", statement(statementClaims().notBeforeTime(Date.from(now.plusSeconds(600)))));
        cases.put("iat ahead|iat is in the future", statement(statementClaims().issueTime(Date.from(now.plusSeconds(600)))));
        cases.put("too old|too old", statement(statementClaims().issueTime(Date.from(now.minusSeconds(7200)))));
        cases.put("required claim missing|lacks the claim org_id", statement(statementClaims().claim("org_id", null)));
        cases.put("directory unreachable|could not be fetched", statement(statementClaims().issuer(UNREACHABLE)));
        cases.put("directory's https not trusted|PKIX", statement(statementClaims().issuer(MISTRUSTED)));
        cases.put("metadata claim malformed|software_statement: ", statement(statementClaims().claim("grant_types", "client_credentials")));

        String token = server.http.dcrToken();
        for (var c : cases.entrySet()) {
            String[] nameAndExpected = c.getKey().split("\\|");
            Map<String, Object> b = body(null);
            b.put("software_statement", c.getValue());
            Response r = server.http.postJson("/register", token, json(b)).assertError(400, "invalid_software_statement");
            assertTrue(r.string("error_description").contains(nameAndExpected[1]), nameAndExpected[0] + ": " + r.body());
        }
        // None of them used up the token.
        assertEquals(201, server.http.postJson("/register", token, json(body(good))).status());
    }

    @Test
    void approvalRulesRefuseAValidStatementNamingTheRule() {
        Map<String, JWTClaimsSet.Builder> cases = new LinkedHashMap<>();
        cases.put("claimEquals.org_status", statementClaims().claim("org_status", "Revoked"));
        cases.put("claimContainsAny.software_roles", statementClaims().claim("software_roles", List.of("CBPII")));
        cases.put("deniedSoftwareIds", statementClaims().claim("software_id", "banned-software"));
        for (var c : cases.entrySet()) {
            Response r = register(body(statement(c.getValue()))).assertError(400, "unapproved_software_statement");
            assertTrue(r.string("error_description").contains(c.getKey()), r.body());
        }
        // A role given as a single string counts too.
        assertEquals(201, register(body(statement(statementClaims().claim("software_roles", "PISP")))).status());
    }

    @Test
    void directoryClaimsHoldRedirectUrisJwksUriAndScopes() {
        Map<String, Object> web = body(statement());
        web.put("grant_types", List.of("authorization_code"));
        web.put("redirect_uris", List.of(CB, "https://evil.example/cb"));
        Response r = register(web).assertError(400, "invalid_redirect_uri");
        assertTrue(r.string("error_description").contains("https://evil.example/cb"), r.body());
        web.put("redirect_uris", List.of(CB));
        assertEquals(201, register(web).status());

        Map<String, Object> keys = body(statement());
        keys.put("token_endpoint_auth_method", "private_key_jwt");
        keys.put("jwks_uri", "https://127.0.0.1:9/other-jwks");
        r = register(keys).assertError(400, "invalid_client_metadata");
        assertTrue(r.string("error_description").contains("software_jwks_uri"), r.body());
        keys.remove("jwks_uri");
        keys.put("jwks", Map.of("keys", List.of(softwareKey.toPublicJWK().toJSONObject())));
        r = register(keys).assertError(400, "invalid_client_metadata");
        assertTrue(r.string("error_description").contains("jwks by value"), r.body());
        keys.remove("jwks");
        keys.put("jwks_uri", softwareKeys.url());
        Response ok = register(keys);
        assertEquals(201, ok.status(), ok.body());
        assertEquals(softwareKeys.url(), ok.string("jwks_uri"));

        // PISP gives openid and payments; a default scope is capped the same way.
        Map<String, Object> pisp = body(statement(statementClaims().claim("software_roles", List.of("PISP", "unknown-role"))));
        assertEquals("payments", register(pisp).string("scope"));
    }

    @Test
    void aSlowDirectoryFailsWithinTheOutboundTimeout() {
        long started = System.nanoTime();
        Response r = register(body(statement(statementClaims().issuer(SLOW)))).assertError(400, "invalid_software_statement");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(r.string("error_description").contains("timed out"), r.body());
        // The directory stalls for 10 s; the answer came from the outbound timeout, not from the directory.
        assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "answered after " + took);
    }

    @Test
    void aDirectoryKeyRotationIsPickedUpByOneEarlyRefetchNoMoreOftenThanTheFloor() throws Exception {
        // Past the cache lifetime (5 min): the next statement fetches the directory's keys afresh.
        clock.step(Duration.ofMinutes(6));
        int first = directoryKeys.fetches();
        assertEquals(201, register(body(statement())).status());
        assertEquals(first + 1, directoryKeys.fetches());
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("dir-" + UUID.randomUUID()).generate();
        RSAKey previous = directoryKey;
        directoryKeys.serve(new JWKSet(rotated.toPublicJWK()).toString());
        int before = directoryKeys.fetches();

        // Within the refetch floor of the last fetch, an unknown kid fetches nothing.
        clock.step(Duration.ofSeconds(1));
        Response r = register(body(sign(rotated, JWSAlgorithm.PS256, statementClaims().build())))
                .assertError(400, "invalid_software_statement");
        assertTrue(r.string("error_description").contains("kid '" + rotated.getKeyID() + "'"), r.body());
        assertEquals(before, directoryKeys.fetches());

        // Past it, one early refetch finds the new key; the cached set then serves the next ones.
        clock.step(Duration.ofSeconds(31));
        directoryKey = rotated;
        assertEquals(201, register(body(statement())).status());
        assertEquals(before + 1, directoryKeys.fetches());
        assertEquals(201, register(body(statement())).status());
        assertEquals(before + 1, directoryKeys.fetches());
        // The retired key no longer signs for the directory.
        register(body(sign(previous, JWSAlgorithm.PS256, statementClaims().build()))).assertError(400, "invalid_software_statement");
    }

    // ---- updates (RFC 7592 §2.2) ----

    @Test
    void anUpdateIsCheckedAgainstTheStatementAndARefusedOneChangesNothing() {
        Response reg = register(body(statement()));
        assertEquals(201, reg.status(), reg.body());
        String path = "/register/" + reg.string("client_id");
        String rat = reg.string("registration_access_token");

        // Without a statement, the stored one's claims still win over the body.
        Map<String, Object> update = body(null);
        update.put("client_id", reg.string("client_id"));
        Response r = server.http.putJson(path, rat, json(update));
        assertEquals(200, r.status(), r.body());
        assertEquals("Acme Payments", r.string("client_name"));
        assertEquals(reg.string("software_statement"), r.string("software_statement"));
        rat = r.string("registration_access_token");

        // Refused updates: each leaves the client as it was, and its token unrotated.
        Map<String, Object> badRedirect = new LinkedHashMap<>(update);
        badRedirect.put("grant_types", List.of("authorization_code"));
        badRedirect.put("redirect_uris", List.of("https://evil.example/cb"));
        server.http.putJson(path, rat, json(badRedirect)).assertError(400, "invalid_redirect_uri");
        Map<String, Object> otherSoftware = new LinkedHashMap<>(update);
        otherSoftware.put("software_statement", statement(statementClaims().claim("software_id", "other-software")));
        Response refused = server.http.putJson(path, rat, json(otherSoftware)).assertError(400, "invalid_software_statement");
        assertTrue(refused.string("error_description").contains("software_id"), refused.body());
        Map<String, Object> expired = new LinkedHashMap<>(update);
        expired.put("software_statement", statement(statementClaims().expirationTime(Date.from(clock.instant().minusSeconds(600)))));
        server.http.putJson(path, rat, json(expired)).assertError(400, "invalid_software_statement");
        Response unchanged = server.http.get(path, rat);
        assertEquals(200, unchanged.status(), unchanged.body());
        assertEquals(reg.string("software_statement"), unchanged.string("software_statement"));
        assertEquals("1.2", unchanged.string("software_version"));
        rat = unchanged.string("registration_access_token");

        // A new statement: verified, its claims win, the origin follows.
        String newer = statement(statementClaims().claim("software_version", "1.3").claim("client_name", "Acme Payments 2"));
        Map<String, Object> withNew = new LinkedHashMap<>(update);
        withNew.put("software_statement", newer);
        r = server.http.putJson(path, rat, json(withNew));
        assertEquals(200, r.status(), r.body());
        assertEquals("1.3", r.string("software_version"));
        assertEquals("Acme Payments 2", r.string("client_name"));
        assertEquals(newer, r.string("software_statement"));
        @SuppressWarnings("unchecked")
        Map<String, Object> origin = (Map<String, Object>) adminView(reg.string("client_id")).get("origin");
        assertEquals(newer, origin.get("software_statement"));
    }

    @Test
    void aDirectoryThatRequiresAStatementOnEveryUpdateGetsOne() {
        String statement = sign(inlineKey, JWSAlgorithm.ES256, statementClaims().issuer(INLINE).build());
        Response reg = register(body(statement));
        assertEquals(201, reg.status(), reg.body());
        String path = "/register/" + reg.string("client_id");
        Map<String, Object> update = body(null);
        update.put("client_id", reg.string("client_id"));
        Response r = server.http.putJson(path, reg.string("registration_access_token"), json(update))
                .assertError(400, "invalid_software_statement");
        assertTrue(r.string("error_description").contains("every update"), r.body());
        update.put("software_statement", sign(inlineKey, JWSAlgorithm.ES256, statementClaims().issuer(INLINE).build()));
        assertEquals(200, server.http.putJson(path, reg.string("registration_access_token"), json(update)).status());
    }

    // ---- signed requests (issue 20 §4) ----

    @Test
    void aSignedRequestRegistersWithTheStatementInside() {
        String statement = statement();
        for (String type : List.of("application/jwt", "application/jose")) {
            String jws = sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement).claim("client_name", "Body name").build());
            Response r = postSigned(server, server.http.dcrToken(), jws, type);
            assertEquals(201, r.status(), r.body());
            assertEquals("Acme Payments", r.string("client_name"));
            assertEquals(statement, r.string("software_statement"));
            assertEquals("accounts", r.string("scope"));
            assertNull(r.json().get("jti"));
            assertNull(r.json().get("aud"));
        }
        // And as an update.
        Response reg = postSigned(server, server.http.dcrToken(), sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement).build()),
                "application/jwt");
        String put = sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement).claim("client_id", reg.string("client_id"))
                .claim("scope", "openid accounts").build());
        Response updated = server.http.send("PUT", "/register/" + reg.string("client_id"),
                Map.of("Authorization", "Bearer " + reg.string("registration_access_token"), "Content-Type", "application/jwt"), put);
        assertEquals(200, updated.status(), updated.body());
        assertEquals("openid accounts", updated.string("scope"));
    }

    @Test
    void eachFailedCheckOfASignedRequestIsNamed() throws Exception {
        String statement = statement();
        Instant now = clock.instant();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("sw-1").generate();
        RSAKey directoryImpostor = new RSAKeyGenerator(2048).keyID(directoryKey.getKeyID()).generate();
        record Case(String name, String jws, String error, String expected) {
        }
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("not a JWT", "{\"client_name\":\"x\"}", "invalid_client_metadata", "is not a JWT"));
        cases.add(new Case("alg none", new PlainJWT(requestClaims(statement).build()).serialize(), "invalid_client_metadata", "alg none"));
        cases.add(new Case("another key", sign(stranger, JWSAlgorithm.PS256, requestClaims(statement).build()),
                "invalid_client_metadata", "signature does not verify"));
        cases.add(new Case("iss", sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement).issuer("someone").build()),
                "invalid_client_metadata", "iss must be the statement's software_id"));
        cases.add(new Case("aud", sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement).audience("https://elsewhere").build()),
                "invalid_client_metadata", "aud must be"));
        cases.add(new Case("no exp", sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement).expirationTime(null).build()),
                "invalid_client_metadata", "exp is required"));
        cases.add(new Case("expired", sign(softwareKey, JWSAlgorithm.PS256,
                requestClaims(statement).expirationTime(Date.from(now.minusSeconds(120))).build()), "invalid_client_metadata", "expired"));
        cases.add(new Case("exp far", sign(softwareKey, JWSAlgorithm.PS256,
                requestClaims(statement).expirationTime(Date.from(now.plusSeconds(7200))).build()), "invalid_client_metadata", "too far ahead"));
        cases.add(new Case("no iat", sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement).issueTime(null).build()),
                "invalid_client_metadata", "iat is required"));
        cases.add(new Case("no jti", sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement).jwtID(null).build()),
                "invalid_client_metadata", "jti is required"));
        cases.add(new Case("no statement", sign(softwareKey, JWSAlgorithm.PS256, requestClaims(null).build()),
                "invalid_software_statement", "must carry a software_statement"));
        cases.add(new Case("bad statement", sign(softwareKey, JWSAlgorithm.PS256,
                requestClaims(sign(directoryImpostor, JWSAlgorithm.PS256, statementClaims().build())).build()),
                "invalid_software_statement", "signature does not verify with the keys of directory"));
        cases.add(new Case("statement without keys", sign(softwareKey, JWSAlgorithm.PS256,
                requestClaims(statement(statementClaims().claim("software_jwks_uri", null))).build()),
                "invalid_software_statement", "software_jwks_endpoint or software_jwks_uri"));
        String token = server.http.dcrToken();
        for (Case c : cases) {
            Response r = postSigned(server, token, c.jws(), "application/jwt").assertError(400, c.error());
            assertTrue(r.string("error_description").contains(c.expected()), c.name() + ": " + r.body());
        }
    }

    @Test
    void aSignedRequestIsAcceptedOnceOnEveryNode() {
        String jws = sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement()).build());
        assertEquals(201, postSigned(server, server.http.dcrToken(), jws, "application/jwt").status());
        Response again = postSigned(server, server.http.dcrToken(), jws, "application/jwt").assertError(400, "invalid_client_metadata");
        assertTrue(again.string("error_description").contains("jti has been used before"), again.body());
    }

    @Test
    void aWayCanRequireOrRefuseStatementsAndSignedRequests() {
        String required = """
                    byWay:
                      client_authenticates: {statements: required}
                """;
        try (TestServer strict = TestServer.start(clock, database(), config(required))) {
            // Every claim copied into the body is still no statement.
            Map<String, Object> copied = body(null);
            copied.putAll(Map.of("software_id", SOFTWARE_ID, "org_id", "org-1", "client_name", "Acme Payments"));
            Response r = strict.http.postJson("/register", strict.http.dcrToken(), json(copied)).assertError(400, "invalid_software_statement");
            assertTrue(r.string("error_description").contains("required"), r.body());
            assertEquals(201, strict.http.postJson("/register", strict.http.dcrToken(), json(body(statement()))).status());
        }
        String signedOnly = """
                    byWay:
                      client_authenticates: {signedRequests: required}
                """;
        try (TestServer strict = TestServer.start(clock, database(), config(signedOnly))) {
            Response r = strict.http.postJson("/register", strict.http.dcrToken(), json(body(statement()))).assertError(400, "invalid_request");
            assertTrue(r.string("error_description").contains("application/jwt"), r.body());
            String jws = sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement()).audience(strict.issuer()).build());
            Response ok = postSigned(strict, strict.http.dcrToken(), jws, "application/jwt");
            assertEquals(201, ok.status(), ok.body());
        }
        String refused = """
                    byWay:
                      client_authenticates: {statements: refused, signedRequests: refused}
                """;
        try (TestServer strict = TestServer.start(clock, database(), config(refused))) {
            strict.http.postJson("/register", strict.http.dcrToken(), json(body(statement()))).assertError(400, "invalid_software_statement");
            String jws = sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement()).audience(strict.issuer()).build());
            postSigned(strict, strict.http.dcrToken(), jws, "application/jwt").assertError(400, "invalid_request");
            assertEquals(201, strict.http.postJson("/register", strict.http.dcrToken(), json(body(null))).status());
        }
    }

    @Test
    void withoutDirectoriesStatementsAndSignedRequestsAreRefusedAsBefore() {
        try (TestServer plain = TestServer.start(database())) {
            Response r = plain.http.postJson("/register", plain.http.dcrToken(), json(body(statement())))
                    .assertError(400, "invalid_software_statement");
            assertEquals("Software statements are not accepted by this server", r.string("error_description"));
            String jws = sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statement()).audience(plain.issuer()).build());
            Response signed = postSigned(plain, plain.http.dcrToken(), jws, "application/jwt").assertError(400, "invalid_request");
            assertTrue(signed.string("error_description").contains("application/json"), signed.body());
        }
    }

    /** Two nodes on one database: a signed request's jti accepted by one is refused by the other. */
    @Test
    void aSignedRequestReplayedOnASecondNodeIsRefused() {
        String storage = database().newStorageYaml(TestDatabase.tempDir());
        // One issuer for the two nodes, as behind a load balancer: both accept the same aud.
        String cluster = config("") + "issuer: http://registrar.cluster.test\n";
        try (TestServer a = TestServer.start(storage, cluster); TestServer b = TestServer.start(storage, cluster)) {
            String jws = sign(softwareKey, JWSAlgorithm.PS256, requestClaims(statementWithSystemClock())
                    .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300))).audience(a.issuer()).build());
            assertEquals(201, postSigned(a, a.http.dcrToken(), jws, "application/jwt").status());
            Response replay = postSigned(b, b.http.dcrToken(), jws, "application/jwt");
            replay.assertError(400, "invalid_client_metadata");
            assertTrue(replay.string("error_description").contains("jti has been used before"), replay.body());
        }
    }

    String statementWithSystemClock() {
        Instant now = Instant.now();
        return statement(statementClaims().issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))));
    }
}
