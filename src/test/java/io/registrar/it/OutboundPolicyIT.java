package io.registrar.it;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.registrar.support.Assertions;
import io.registrar.support.JwksServer;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp.Response;
import io.registrar.support.TestPki;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outbound fetches under the SSRF allow/deny lists and a trust store of their own. The "internal"
 * hosts are JWK Set servers on loopback addresses (127.0.0.1 and 127.0.0.2 are distinct addresses).
 */
class OutboundPolicyIT {

    private static final String JWKS_CLIENT = """
            {"token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "%s",
             "grant_types": ["client_credentials"], "response_types": []}""";

    private static Response tokenByAssertion(TestServer server, ECKey key, String clientId) {
        return server.http.postForm("/token", Assertions.tokenForm(
                Assertions.signedBy(key, clientId, server.issuer() + "/token").jwt()));
    }

    @Test
    void anAllowedInternalAddressIsFetchedAndAnotherPrivateOneIsRefused() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        try (JwksServer directory = new JwksServer("127.0.0.1", null);
             JwksServer other = new JwksServer("127.0.0.2", null);
             TestServer server = TestServer.start(TestDatabase.H2, """
                     outbound:
                       allowHttp: true
                       allowedAddresses: [127.0.0.1]
                     """)) {
            directory.serve(new JWKSet(key.toPublicJWK()).toString());
            other.serve(new JWKSet(key.toPublicJWK()).toString());

            Response allowed = server.http.postJson("/register", server.http.dcrToken(), JWKS_CLIENT.formatted(directory.url()));
            assertEquals(201, allowed.status(), allowed.body());
            Response token = tokenByAssertion(server, key, allowed.string("client_id"));
            assertEquals(200, token.status(), token.body());
            assertEquals(1, directory.fetches());

            Response refused = server.http.postJson("/register", server.http.dcrToken(), JWKS_CLIENT.formatted(other.url()))
                    .assertError(400, "invalid_client_metadata");
            assertTrue(refused.string("error_description").contains("127.0.0.2"), refused.body());
            Response metadata = server.http.postJson("/register", server.http.dcrToken(),
                    JWKS_CLIENT.formatted("http://169.254.169.254/latest/meta-data")).assertError(400, "invalid_client_metadata");
            assertTrue(metadata.string("error_description").contains("metadata"), metadata.body());
            // 0177.0.0.2 is 127.0.0.2 to some parsers and 177.0.0.2 to others: refused before anything is fetched.
            Response octal = server.http.postJson("/register", server.http.dcrToken(),
                    JWKS_CLIENT.formatted("http://0177.0.0.2/jwks")).assertError(400, "invalid_client_metadata");
            assertTrue(octal.string("error_description").contains("parsers read differently"), octal.body());
            assertEquals(0, other.fetches());
        }
    }

    @Test
    void aHostNameIsJudgedByTheAddressItResolvesTo() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        try (JwksServer loopback = new JwksServer("127.0.0.1", null);
             TestServer server = TestServer.start(TestDatabase.H2, """
                     outbound:
                       allowHttp: true
                       allowedAddresses: [127.0.0.2]
                     """)) {
            loopback.serve(new JWKSet(key.toPublicJWK()).toString());
            // localhost is a name: registration cannot judge it, the connection does.
            Response reg = server.http.postJson("/register", server.http.dcrToken(),
                    JWKS_CLIENT.formatted(loopback.url().replace("127.0.0.1", "localhost")));
            assertEquals(201, reg.status(), reg.body());
            Response r = tokenByAssertion(server, key, reg.string("client_id")).assertError(401, "invalid_client");
            assertTrue(r.string("error_description").contains("refused"), r.body());
            assertEquals(0, loopback.fetches(), "nothing was fetched from the address that is not allowed");
        }
    }

    @Test
    void aTrustStoreOfItsOwnMakesAnInternalCaFetchable(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued certificate = pki.server("CN=directory.internal", pki.intermediate, "ip:127.0.0.1");
        Path bundle = dir.resolve("outbound-ca.pem");
        Files.writeString(bundle, "# the internal root\n" + TestPki.pem(pki.root.cert()));
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        String outbound = """
                outbound:
                  allowedAddresses: [127.0.0.1]
                """;
        try (JwksServer directory = new JwksServer("127.0.0.1", certificate.sslContext());
             TestServer withCa = TestServer.start(TestDatabase.H2, outbound + "  trustStore: " + bundle + "\n");
             TestServer jdkOnly = TestServer.start(TestDatabase.H2, outbound);
             TestServer otherCa = TestServer.start(TestDatabase.H2, outbound + "  trustStore: " + otherRoot(pki, dir)
                     + "\n  trustStoreMode: replace\n")) {
            directory.serve(new JWKSet(key.toPublicJWK()).toString());

            Response reg = withCa.http.postJson("/register", withCa.http.dcrToken(), JWKS_CLIENT.formatted(directory.url()));
            assertEquals(201, reg.status(), reg.body());
            Response token = tokenByAssertion(withCa, key, reg.string("client_id"));
            assertEquals(200, token.status(), token.body());
            assertEquals(1, directory.fetches());

            for (TestServer untrusting : new TestServer[]{jdkOnly, otherCa}) {
                Response r = untrusting.http.postJson("/register", untrusting.http.dcrToken(), JWKS_CLIENT.formatted(directory.url()));
                assertEquals(201, r.status(), r.body());
                tokenByAssertion(untrusting, key, r.string("client_id")).assertError(401, "invalid_client");
            }
            assertEquals(1, directory.fetches(), "no JWK Set was read over a connection to an untrusted certificate");
        }
    }

    private static Path otherRoot(TestPki pki, Path dir) throws Exception {
        Path file = dir.resolve("other-ca.pem");
        Files.writeString(file, TestPki.pem(pki.otherRoot.cert()));
        return file;
    }
}
