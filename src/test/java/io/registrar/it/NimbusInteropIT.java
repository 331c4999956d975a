package io.registrar.it;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientReadRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.client.ClientUpdateRequest;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our wire format checked by code we did not write: the Nimbus SDK's client-side DCR requests and parsers. */
class NimbusInteropIT {

    @Test
    void nimbusClientRegistersReadsUpdatesAndDeletes() throws Exception {
        try (TestServer server = TestServer.start(TestDatabase.H2)) {
            URI tokenEndpoint = URI.create(server.issuer() + "/token");
            URI registrationEndpoint = URI.create(server.issuer() + "/register");

            TokenResponse dcr = TokenResponse.parse(new TokenRequest(tokenEndpoint,
                    new ClientSecretBasic(new ClientID(TestServer.INITIAL_CLIENT), new Secret(TestServer.INITIAL_SECRET)),
                    new ClientCredentialsGrant(), new Scope("dcr")).toHTTPRequest().send());
            assertTrue(dcr.indicatesSuccess());
            BearerAccessToken dcrToken = dcr.toSuccessResponse().getTokens().getBearerAccessToken();

            ClientMetadata metadata = new ClientMetadata();
            metadata.setName("Nimbus-made client");
            metadata.setGrantTypes(Set.of(GrantType.CLIENT_CREDENTIALS));
            metadata.setScope(new Scope("api"));
            HTTPResponse registered = new ClientRegistrationRequest(registrationEndpoint, metadata, dcrToken).toHTTPRequest().send();
            ClientRegistrationResponse response = ClientRegistrationResponse.parse(registered);
            assertTrue(response.indicatesSuccess(), registered.getBody());
            ClientInformation info = ((ClientInformationResponse) response).getClientInformation();
            assertEquals("Nimbus-made client", info.getMetadata().getName());
            assertNotNull(info.getSecret());
            assertNotNull(info.getRegistrationAccessToken());
            assertTrue(info.getRegistrationURI().toString().endsWith("/" + info.getID().getValue()));

            // The application client authenticates with its own secret.
            TokenResponse own = TokenResponse.parse(new TokenRequest(tokenEndpoint,
                    new ClientSecretBasic(info.getID(), info.getSecret()), new ClientCredentialsGrant(), null).toHTTPRequest().send());
            assertTrue(own.indicatesSuccess());

            // Read rotates the registration access token and the secret.
            ClientInformationResponse read = (ClientInformationResponse) ClientRegistrationResponse.parse(
                    new ClientReadRequest(info.getRegistrationURI(), info.getRegistrationAccessToken()).toHTTPRequest().send());
            ClientInformation rotated = read.getClientInformation();
            assertNotEquals(info.getRegistrationAccessToken(), rotated.getRegistrationAccessToken());
            assertNotEquals(info.getSecret(), rotated.getSecret());

            ClientMetadata changed = new ClientMetadata(rotated.getMetadata());
            changed.setName("Renamed by Nimbus");
            ClientInformationResponse updated = (ClientInformationResponse) ClientRegistrationResponse.parse(
                    new ClientUpdateRequest(rotated.getRegistrationURI(), rotated.getID(), rotated.getRegistrationAccessToken(),
                            changed, rotated.getSecret()).toHTTPRequest().send());
            assertEquals("Renamed by Nimbus", updated.getClientInformation().getMetadata().getName());

            // The old registration access token is refused with the RFC error.
            ClientRegistrationResponse stale = ClientRegistrationResponse.parse(
                    new ClientReadRequest(info.getRegistrationURI(), info.getRegistrationAccessToken()).toHTTPRequest().send());
            assertFalse(stale.indicatesSuccess());
            assertEquals("invalid_token", ((ClientRegistrationErrorResponse) stale).getErrorObject().getCode());

            HTTPResponse deleted = new ClientDeleteRequest(updated.getClientInformation().getRegistrationURI(),
                    updated.getClientInformation().getRegistrationAccessToken()).toHTTPRequest().send();
            assertEquals(204, deleted.getStatusCode());

            // A bad redirect URI comes back as invalid_redirect_uri to the SDK's error parser.
            ClientMetadata bad = new ClientMetadata();
            bad.setRedirectionURI(URI.create("http://insecure.example/cb"));
            TokenResponse another = TokenResponse.parse(new TokenRequest(tokenEndpoint,
                    new ClientSecretBasic(new ClientID(TestServer.INITIAL_CLIENT), new Secret(TestServer.INITIAL_SECRET)),
                    new ClientCredentialsGrant(), new Scope("dcr")).toHTTPRequest().send());
            ClientRegistrationResponse refused = ClientRegistrationResponse.parse(new ClientRegistrationRequest(registrationEndpoint, bad,
                    another.toSuccessResponse().getTokens().getBearerAccessToken()).toHTTPRequest().send());
            assertEquals(RegistrationError.INVALID_REDIRECT_URI.getCode(),
                    ((ClientRegistrationErrorResponse) refused).getErrorObject().getCode());
        }
    }
}
