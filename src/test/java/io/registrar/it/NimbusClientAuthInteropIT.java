package io.registrar.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.PKITLSClientAuthentication;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestPki;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Nimbus SDK's client-side PrivateKeyJWT, ClientSecretJWT and TLSClientAuthentication (PKITLSClientAuthentication) against the server. */
class NimbusClientAuthInteropIT {

    @Test
    void nimbusClientAuthenticationsAreAccepted() throws Exception {
        TestPki pki = new TestPki();
        try (TestServer server = TestServer.start(TestDatabase.H2, """
                server:
                  mtls:
                    enabled: true
                    port: 0
                    trustedIssuers: ["%s"]
                """.formatted(pki.trustedIssuersFile(false)))) {
            URI tokenEndpoint = URI.create(server.issuer() + "/token");
            URI registrationEndpoint = URI.create(server.issuer() + "/register");

            RSAKey key = new RSAKeyGenerator(2048).keyID("nimbus-1").generate();
            ClientMetadata pkj = metadata(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
            pkj.setJWKSet(new JWKSet(key.toPublicJWK()));
            ClientInformation pkjClient = register(registrationEndpoint, server.http.dcrToken(), pkj);
            assertSuccess(new PrivateKeyJWT(pkjClient.getID(), tokenEndpoint, JWSAlgorithm.RS256, key.toPrivateKey(),
                    key.getKeyID(), null), tokenEndpoint);

            ClientInformation csjClient = register(registrationEndpoint, server.http.dcrToken(),
                    metadata(ClientAuthenticationMethod.CLIENT_SECRET_JWT));
            assertSuccess(new ClientSecretJWT(csjClient.getID(), tokenEndpoint, JWSAlgorithm.HS256, csjClient.getSecret()), tokenEndpoint);

            ClientMetadata tls = metadata(ClientAuthenticationMethod.TLS_CLIENT_AUTH);
            tls.setTLSClientAuthSubjectDN("CN=nimbus-device,O=Interop,C=GB");
            ClientInformation tlsClient = register(registrationEndpoint, server.http.dcrToken(), tls);
            TestPki.Issued cert = pki.client("CN=nimbus-device,O=Interop,C=GB", pki.intermediate);
            URI mtlsToken = URI.create(server.mtls(null).base + "/token");
            assertSuccess(new PKITLSClientAuthentication(tlsClient.getID(), cert.sslContext().getSocketFactory()), mtlsToken);
        }
    }

    private static ClientMetadata metadata(ClientAuthenticationMethod method) {
        ClientMetadata m = new ClientMetadata();
        m.setTokenEndpointAuthMethod(method);
        m.setGrantTypes(Set.of(GrantType.CLIENT_CREDENTIALS));
        m.setScope(new Scope("api"));
        return m;
    }

    private static ClientInformation register(URI endpoint, String dcrToken, ClientMetadata m) throws Exception {
        var response = ClientRegistrationResponse.parse(
                new ClientRegistrationRequest(endpoint, m, new BearerAccessToken(dcrToken)).toHTTPRequest().send());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        return ((ClientInformationResponse) response).getClientInformation();
    }

    private static void assertSuccess(ClientAuthentication auth, URI tokenEndpoint) throws Exception {
        HTTPRequest request = new TokenRequest(tokenEndpoint, auth, new ClientCredentialsGrant(), null).toHTTPRequest();
        request.setHostnameVerifier((host, session) -> true);
        TokenResponse response = TokenResponse.parse(request.send());
        assertTrue(response.indicatesSuccess(), () -> auth.getMethod() + ": " + response.toErrorResponse().getErrorObject());
        assertEquals("Bearer", response.toSuccessResponse().getTokens().getAccessToken().getType().getValue());
    }
}
