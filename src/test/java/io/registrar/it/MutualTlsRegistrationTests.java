package io.registrar.it;

import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestPki;
import io.registrar.support.TestPki.Issued;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 20 §1 and §2, black-box over real TLS: registration authorised by a client certificate alone
 * (trusted registration issuers apart from the token endpoint's), what is recorded of it, the
 * tls_client_auth subject it fills in or checks, and registration access tokens bound to the
 * registering certificate. Runs once per store (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MutualTlsRegistrationTests {

    static final String TPP_DN = "CN=tpp-1,O=Third Party Ltd,C=GB";
    static final String CC_CLIENT = """
            {"client_name":"TPP","grant_types":["client_credentials"],"response_types":[],"scope":"api",
             "token_endpoint_auth_method":"tls_client_auth"}""";

    TestPki pki;
    /** certificateBinding: required; registration trusts only the test root (and its intermediate). */
    TestServer bound;
    /** certificateBinding: off (the default). */
    TestServer unbound;

    abstract TestDatabase database();

    @BeforeAll
    void startServers() throws Exception {
        pki = new TestPki();
        Path tokenIssuers = pki.trustedIssuersFile(false);
        // The directory's CA: the root and its issuing CA, but not otherRoot, which the token endpoint trusts.
        Path registrationIssuers = Files.createTempFile(TestDatabase.tempDir(), "registration-issuers-", ".pem");
        Files.writeString(registrationIssuers, TestPki.pem(pki.root.cert()) + TestPki.pem(pki.intermediate.cert()));
        String config = """
                server:
                  trustedProxies: ["127.0.0.1"]
                  mtls:
                    enabled: true
                    port: 0
                    trustedIssuers: ["%s"]
                    proxyHeader: X-SSL-Client-Cert
                registration:
                  authorization: [client_authenticates, user_authenticates, mutual_tls]
                  mutualTls:
                    trustedIssuers: ["%s"]
                """.formatted(tokenIssuers, registrationIssuers);
        bound = TestServer.start(database(), config, "management:\n  certificateBinding: required\n");
        unbound = TestServer.start(database(), config);
    }

    @AfterAll
    void stopServers() {
        bound.close();
        unbound.close();
    }

    private static Response register(TestHttp http, String json) {
        return http.postJson("/register", null, json);
    }

    private static String rfc4514(javax.security.auth.x500.X500Principal name) {
        return name.getName(javax.security.auth.x500.X500Principal.RFC2253);
    }

    private Map<String, Object> adminView(TestServer server, String clientId) {
        return server.http.get("/admin/clients/" + clientId, server.http.adminToken()).json();
    }

    @Test
    void aTrustedCertificateAloneRegistersAndIsRecorded() {
        Issued cert = pki.client(TPP_DN, pki.intermediate);
        Response r = register(bound.mtls(cert), CC_CLIENT);
        assertEquals(201, r.status(), r.body());
        String clientId = r.string("client_id");
        // RFC 8705 §2.1.2: without a subject parameter, the certificate's subject is the one it authenticates
        // with, written as RFC 4514 writes the certificate's own RDN sequence.
        String subject = rfc4514(cert.cert().getSubjectX500Principal());
        assertEquals(subject, r.string("tls_client_auth_subject_dn"));

        Map<String, Object> view = adminView(bound, clientId);
        assertEquals("mutual_tls", view.get("registrant_kind"), view.toString());
        assertEquals(subject, view.get("registered_by"));
        @SuppressWarnings("unchecked")
        Map<String, Object> certificate = (Map<String, Object>) ((Map<String, Object>) view.get("origin")).get("certificate");
        assertEquals(subject, certificate.get("subject_dn"));
        assertEquals(rfc4514(pki.intermediate.cert().getSubjectX500Principal()), certificate.get("issuer_dn"));
        assertEquals(cert.thumbprint(), certificate.get("x5t#S256"));

        // The client it made authenticates at the token endpoint with that certificate, and only with it.
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", clientId);
        assertEquals(200, bound.mtls(cert).postForm("/token", form).status());
        bound.mtls(pki.client("CN=tpp-2,O=Third Party Ltd,C=GB", pki.intermediate)).postForm("/token", form)
                .assertError(401, "invalid_client");
    }

    @Test
    void aCertificateForwardedByTheTrustedProxyRegistersToo() {
        Issued cert = pki.client("CN=tpp-proxied,O=Third Party Ltd,C=GB", pki.intermediate);
        Response r = unbound.http.send("POST", "/register", Map.of("Content-Type", "application/json",
                "X-SSL-Client-Cert", cert.urlEncodedPem()), CC_CLIENT);
        assertEquals(201, r.status(), r.body());
        assertEquals(rfc4514(cert.cert().getSubjectX500Principal()), r.string("tls_client_auth_subject_dn"));
    }

    @Test
    void untrustedExpiredOrMissingCertificatesAreRefusedAndCreateNothing() {
        Instant now = Instant.now();
        Map<String, TestHttp> refused = new LinkedHashMap<>();
        refused.put("untrusted CA with the trusted issuing CA's name", bound.mtls(pki.client(TPP_DN, pki.untrustedRoot)));
        refused.put("trusted by the token endpoint only", bound.mtls(pki.client(TPP_DN, pki.otherRoot)));
        refused.put("expired", bound.mtls(pki.client(TPP_DN, pki.intermediate, now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)))));
        refused.put("not yet valid", bound.mtls(pki.client(TPP_DN, pki.intermediate, now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(10)))));
        refused.put("self-signed", bound.mtls(pki.selfSigned(TPP_DN)));
        refused.forEach((name, http) -> {
            Response r = register(http, CC_CLIENT);
            r.assertError(401, "invalid_token");
            assertFalse(r.json().containsKey("client_id"), name + ": " + r.body());
            assertNull(r.header("Location"), name);
        });
        // No certificate and no token: RFC 6750 §3.1, a challenge without an error code.
        for (TestHttp http : new TestHttp[] {bound.mtls(null), bound.http}) {
            Response r = register(http, CC_CLIENT);
            assertEquals(401, r.status(), r.body());
            assertFalse(r.body().contains("client_id"), r.body());
        }
    }

    @Test
    void aSubjectParameterMustMatchTheRegisteringCertificate() {
        Issued cert = pki.client(TPP_DN, pki.intermediate, "dns:tpp.example");
        Response sameInOtherOrder = register(bound.mtls(cert), """
                {"grant_types":["client_credentials"],"response_types":[],"token_endpoint_auth_method":"tls_client_auth",
                 "tls_client_auth_subject_dn":"c=GB, o=Third Party Ltd, cn=TPP-1"}""");
        assertEquals(201, sameInOtherOrder.status(), sameInOtherOrder.body());
        Response san = register(bound.mtls(cert), """
                {"grant_types":["client_credentials"],"response_types":[],"token_endpoint_auth_method":"tls_client_auth",
                 "tls_client_auth_san_dns":"tpp.example"}""");
        assertEquals(201, san.status(), san.body());
        assertNull(san.string("tls_client_auth_subject_dn"), "a SAN parameter is kept as the only subject parameter");

        for (String other : new String[] {"\"tls_client_auth_subject_dn\":\"CN=someone-else,O=Third Party Ltd,C=GB\"",
                "\"tls_client_auth_san_dns\":\"other.example\""}) {
            Response r = register(bound.mtls(cert), """
                    {"grant_types":["client_credentials"],"response_types":[],"token_endpoint_auth_method":"tls_client_auth",%s}"""
                    .formatted(other));
            r.assertError(400, "invalid_client_metadata");
            assertFalse(r.json().containsKey("client_id"));
        }
    }

    @Test
    void aBearerTokenDecidesEvenWithACertificateAndATrustedCertificateIsRecorded() {
        Issued cert = pki.client("CN=initial-over-mtls,O=Partner,C=GB", pki.intermediate);
        Response r = bound.mtls(cert).postJson("/register", bound.http.dcrToken(), """
                {"client_name":"by token","grant_types":["client_credentials"],"response_types":[],"scope":"api"}""");
        assertEquals(201, r.status(), r.body());
        Map<String, Object> view = adminView(bound, r.string("client_id"));
        assertEquals("client_authenticates", view.get("registrant_kind"), view.toString());
        // Recorded, so that its registration access token is bound to it (issue 20 §2), and managed on
        // the mTLS listener, where the certificate is asked for.
        String token = r.string("registration_access_token");
        String uri = r.string("registration_client_uri");
        assertEquals(bound.mtls(null).base + "/register/" + r.string("client_id"), uri);
        bound.http.get("/register/" + r.string("client_id"), token).assertError(401, "invalid_token");
        assertEquals(200, bound.mtls(cert).get(uri, token).status());

        // A certificate no trusted issuer vouches for (the handshake accepts any) is not recorded:
        // nothing is bound to it, and rules, profiles and operators never see it as checked.
        Response selfSigned = bound.mtls(pki.selfSigned("CN=anyone")).postJson("/register", bound.http.dcrToken(), """
                {"client_name":"unchecked","grant_types":["client_credentials"],"response_types":[],"scope":"api"}""");
        assertEquals(201, selfSigned.status(), selfSigned.body());
        assertFalse(adminView(bound, selfSigned.string("client_id")).containsKey("origin"));
        assertEquals(200, bound.http.get("/register/" + selfSigned.string("client_id"),
                selfSigned.string("registration_access_token")).status());
    }

    @Test
    void anUpdateKeepsNamingTheRegisteringCertificate() {
        Issued cert = pki.client("CN=tpp-update,O=Third Party Ltd,C=GB", pki.intermediate);
        Response r = register(bound.mtls(cert), CC_CLIENT);
        assertEquals(201, r.status(), r.body());
        String uri = r.string("registration_client_uri");
        String body = """
                {"client_id":"%s","client_name":"TPP","grant_types":["client_credentials"],"response_types":[],"scope":"api",
                 "token_endpoint_auth_method":"tls_client_auth"%%s}""".formatted(r.string("client_id"));
        Response other = bound.mtls(cert).putJson(uri, r.string("registration_access_token"),
                body.formatted(",\"tls_client_auth_subject_dn\":\"CN=someone-else,O=Third Party Ltd,C=GB\""));
        other.assertError(400, "invalid_client_metadata");
        Response kept = bound.mtls(cert).putJson(uri, r.string("registration_access_token"), body.formatted(""));
        assertEquals(200, kept.status(), kept.body());
        assertEquals(rfc4514(cert.cert().getSubjectX500Principal()), kept.string("tls_client_auth_subject_dn"));
    }

    @Test
    void aBoundRegistrationAccessTokenWorksOnlyWithItsCertificateAcrossRotations() {
        Issued cert = pki.client("CN=tpp-bound,O=Third Party Ltd,C=GB", pki.intermediate);
        Issued renewed = pki.client("CN=tpp-bound,O=Third Party Ltd,C=GB", pki.intermediate);
        Response r = register(bound.mtls(cert), CC_CLIENT);
        assertEquals(201, r.status(), r.body());
        String uri = r.string("registration_client_uri");
        String token = r.string("registration_access_token");

        bound.http.get("/register/" + r.string("client_id"), token).assertError(401, "invalid_token");
        bound.mtls(null).get(uri, token).assertError(401, "invalid_token");
        bound.mtls(renewed).get(uri, token).assertError(401, "invalid_token");
        Response put = bound.mtls(renewed).putJson(uri, token, """
                {"client_id":"%s","client_name":"changed","grant_types":["client_credentials"],"response_types":[],
                 "scope":"api","token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"%s"}"""
                .formatted(r.string("client_id"), "CN=tpp-bound,O=Third Party Ltd,C=GB"));
        put.assertError(401, "invalid_token");
        bound.http.delete("/register/" + r.string("client_id"), token).assertError(401, "invalid_token");

        // The right certificate: GET rotates, and the rotated token is bound the same way.
        Response read = bound.mtls(cert).get(uri, token);
        assertEquals(200, read.status(), read.body());
        assertEquals("TPP", read.string("client_name"), "the refused PUT changed nothing");
        String rotated = read.string("registration_access_token");
        bound.mtls(renewed).get(uri, rotated).assertError(401, "invalid_token");
        // An operator's dcrm token is never bound.
        assertEquals(200, bound.http.get("/register/" + r.string("client_id"), bound.http.adminToken()).status());
        assertEquals(204, bound.mtls(cert).delete(uri, rotated).status());
    }

    @Test
    void withoutBindingTheTokenAloneManagesTheClient() {
        Issued cert = pki.client("CN=tpp-unbound,O=Third Party Ltd,C=GB", pki.intermediate);
        Response r = register(unbound.mtls(cert), CC_CLIENT);
        assertEquals(201, r.status(), r.body());
        assertEquals(unbound.issuer() + "/register/" + r.string("client_id"), r.string("registration_client_uri"));
        Response read = unbound.http.get("/register/" + r.string("client_id"), r.string("registration_access_token"));
        assertEquals(200, read.status(), read.body());
    }
}
