package io.registrar.metadata;

import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.DefaultsPolicy;
import io.registrar.policy.Operation;
import io.registrar.policy.OverridesPolicy;
import io.registrar.policy.PolicyChain;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.Registrant;
import io.registrar.policy.RegistrationRequest;
import io.registrar.oauth.Vocabulary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registration pipeline's pure part — parse, defaults, overrides, validate — as a table of
 * (request metadata, expected error code or null, text the description must contain).
 */
class MetadataRulesTest {

    private static final String JWK_PUBLIC = """
            {"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""";
    private static final String JWK_PRIVATE = """
            {"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cLyjg8hgsl6tR6OjB4rTCE"}""";

    /** Every rule is enabled here: every auth method, with mTLS on. */
    private static final MetadataValidator VALIDATOR = new MetadataValidator(new MetadataValidator.Capabilities(
            Vocabulary.of(true, Vocabulary.AUTH_METHODS), Set.of("openid", "api"), false, true,
            uri -> "https".equals(uri.getScheme()) ? null : "it must be an https URL"));
    private static final PolicyChain POLICIES = new PolicyChain(List.of(new DefaultsPolicy(List.of("openid", "profile", "api")),
            new OverridesPolicy(null, null, Set.of("openid", "api"))));

    static ClientMetadata pipeline(String json) throws Exception {
        ClientMetadata m = MetadataJson.parse(JSONObjectUtils.parse(json));
        m = POLICIES.apply(new PolicyContext(Operation.REGISTER,
                new Registrant(Registrant.Kind.CLIENT_AUTHENTICATES, "initial", null),
                RegistrationRequest.of(m, Map.of())), m);
        VALIDATOR.validate(m);
        return m;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // accepted
                Arguments.of("{}", null, "redirect_uris"),
                Arguments.of("{\"redirect_uris\":[\"https://app.example.com/cb\"]}", null, null),
                Arguments.of("{\"grant_types\":[\"client_credentials\"]}", null, null),
                Arguments.of("{\"application_type\":\"native\",\"redirect_uris\":[\"com.example.app:/cb\",\"http://127.0.0.1/cb\",\"http://[::1]:8080/cb\",\"https://app.example.com/native\"]}", null, null),
                Arguments.of("{\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"redirect_uris\":[\"https://a.example/cb\"]}", null, null),
                Arguments.of("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"grant_types\":[\"client_credentials\"],\"jwks\":{\"keys\":[" + JWK_PUBLIC + "]}}", null, null),
                Arguments.of("{\"token_endpoint_auth_method\":\"private_key_jwt\",\"grant_types\":[\"client_credentials\"],\"jwks_uri\":\"https://a.example/jwks\"}", null, null),
                Arguments.of("{\"token_endpoint_auth_method\":\"tls_client_auth\",\"grant_types\":[\"client_credentials\"],\"tls_client_auth_subject_dn\":\"CN=app,O=Example\"}", null, null),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"logo_uri\":\"https://a.example/logo.png\",\"logo_uri#fr\":\"https://a.example/logo-fr.png\",\"tos_uri\":\"http://a.example/tos\"}", null, null),
                // redirect URIs
                Arguments.of("{\"redirect_uris\":[\"https://app.example.com/cb#x\"]}", "invalid_redirect_uri", "fragment"),
                Arguments.of("{\"redirect_uris\":[\"/relative/cb\"]}", "invalid_redirect_uri", "absolute"),
                Arguments.of("{\"redirect_uris\":[\"javascript:alert(1)\"]}", "invalid_redirect_uri", "javascript"),
                Arguments.of("{\"redirect_uris\":[\"data:text/html,hi\"]}", "invalid_redirect_uri", "data"),
                Arguments.of("{\"redirect_uris\":[\"http://app.example.com/cb\"]}", "invalid_redirect_uri", "https"),
                Arguments.of("{\"redirect_uris\":[\"http://localhost/cb\"]}", "invalid_redirect_uri", "https"),
                Arguments.of("{\"redirect_uris\":[\"com.example.app:/cb\"]}", "invalid_redirect_uri", "native"),
                Arguments.of("{\"application_type\":\"native\",\"redirect_uris\":[\"myapp:/cb\"]}", "invalid_redirect_uri", "reverse domain"),
                Arguments.of("{\"application_type\":\"native\",\"redirect_uris\":[\"http://localhost:8080/cb\"]}", "invalid_redirect_uri", "127.0.0.1"),
                Arguments.of("{\"application_type\":\"native\",\"redirect_uris\":[\"http://evil.example/cb\"]}", "invalid_redirect_uri", "loopback"),
                Arguments.of("{\"application_type\":\"native\",\"redirect_uris\":[\"https://localhost/cb\"]}", "invalid_redirect_uri", "RFC 8252 §7.2"),
                Arguments.of("{\"application_type\":\"native\",\"redirect_uris\":[\"https://127.0.0.1:8443/cb\"]}", "invalid_redirect_uri", "http://127.0.0.1"),
                Arguments.of("{\"redirect_uris\":\"https://a.example/cb\"}", "invalid_client_metadata", "redirect_uris"),
                Arguments.of("{\"grant_types\":[\"authorization_code\"]}", "invalid_redirect_uri", "redirect_uris is required"),
                // grant and response types
                Arguments.of("{\"grant_types\":[\"implicit\"],\"redirect_uris\":[\"https://a.example/cb\"]}", "invalid_client_metadata", "implicit"),
                Arguments.of("{\"response_types\":[\"token\"],\"redirect_uris\":[\"https://a.example/cb\"]}", "invalid_client_metadata", "token"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"response_types\":[\"code\"]}", "invalid_client_metadata", "authorization_code"),
                Arguments.of("{\"grant_types\":[\"authorization_code\"],\"response_types\":[],\"redirect_uris\":[\"https://a.example/cb\"]}", "invalid_client_metadata", "response_types"),
                Arguments.of("{\"grant_types\":[\"refresh_token\",\"client_credentials\"]}", "invalid_client_metadata", "refresh_token"),
                Arguments.of("{\"grant_types\":[]}", "invalid_client_metadata", "grant_types"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"none\"}", "invalid_client_metadata", "client_credentials"),
                // keys and auth methods
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"jwks_uri\":\"https://a.example/jwks\",\"jwks\":{\"keys\":[" + JWK_PUBLIC + "]}}", "invalid_client_metadata", "jwks"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"jwks\":{\"keys\":[" + JWK_PRIVATE + "]}}", "invalid_client_metadata", "public keys only"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"jwks_uri\":\"http://a.example/jwks\"}", "invalid_client_metadata", "jwks_uri"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"private_key_jwt\"}", "invalid_client_metadata", "requires jwks"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"self_signed_tls_client_auth\"}", "invalid_client_metadata", "requires jwks"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"tls_client_auth\"}", "invalid_client_metadata", "tls_client_auth"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_subject_dn\":\"CN=a\",\"tls_client_auth_san_dns\":\"a.example\"}", "invalid_client_metadata", "tls_client_auth"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"magic\"}", "invalid_client_metadata", "token_endpoint_auth_method"),
                // URLs and other values
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"logo_uri\":\"foo:bar\"}", "invalid_client_metadata", "logo_uri"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"policy_uri#de\":\"not a url\"}", "invalid_client_metadata", "policy_uri"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"client_uri\":\"/relative\"}", "invalid_client_metadata", "client_uri"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"id_token_signed_response_alg\":\"none\"}", "invalid_client_metadata", "id_token_signed_response_alg"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"subject_type\":\"pairwise\"}", "invalid_client_metadata", "subject_type"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"application_type\":\"desktop\"}", "invalid_client_metadata", "application_type"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"contacts\":[42]}", "invalid_client_metadata", "contacts"),
                // RFC 9126 §6
                Arguments.of("{\"redirect_uris\":[\"https://a.example/cb\"],\"require_pushed_authorization_requests\":true}", null, null),
                Arguments.of("{\"redirect_uris\":[\"https://a.example/cb\"],\"require_pushed_authorization_requests\":false}", null, null),
                Arguments.of("{\"redirect_uris\":[\"https://a.example/cb\"],\"require_pushed_authorization_requests\":\"yes\"}", "invalid_client_metadata", "require_pushed_authorization_requests"),
                Arguments.of("{\"grant_types\":[\"client_credentials\"],\"require_pushed_authorization_requests\":true}", "invalid_client_metadata", "require_pushed_authorization_requests"));
    }

    @ParameterizedTest(name = "{index}: {1} {0}")
    @MethodSource("cases")
    void rule(String json, String expectedError, String descriptionContains) {
        if (expectedError == null) {
            if (descriptionContains != null) {
                // "{}": defaults make it a code-flow client, which needs redirect URIs.
                OAuthException e = assertThrows(OAuthException.class, () -> pipeline(json));
                assertTrue(e.description().contains(descriptionContains), e.description());
                return;
            }
            assertDoesNotThrow(() -> pipeline(json));
            return;
        }
        OAuthException e = assertThrows(OAuthException.class, () -> pipeline(json), json);
        assertEquals(expectedError, e.error().code(), e.description());
        assertTrue(e.description().contains(descriptionContains), () -> "'" + e.description() + "' should mention '" + descriptionContains + "'");
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of("{\"redirect_uris\":[\"https://a.example/cb\"]}", List.of("authorization_code"), List.of("code")),
                Arguments.of("{\"grant_types\":[\"client_credentials\"]}", List.of("client_credentials"), List.of()),
                Arguments.of("{\"response_types\":[\"code\"],\"redirect_uris\":[\"https://a.example/cb\"]}", List.of("authorization_code"), List.of("code")));
    }

    @ParameterizedTest
    @MethodSource("defaults")
    void defaultsFollowWhatWasSent(String json, List<String> grants, List<String> responses) throws Exception {
        ClientMetadata m = pipeline(json);
        assertEquals(grants, m.grantTypes());
        assertEquals(responses, m.responseTypes());
        assertEquals("client_secret_basic", m.authMethod());
        assertEquals("web", m.applicationType());
        assertEquals("RS256", m.string(Param.ID_TOKEN_SIGNED_RESPONSE_ALG));
    }

    static Stream<Arguments> defaultScope() {
        return Stream.of(
                // registration.defaultScope "openid profile api", capped to the allowed openid and api
                Arguments.of("{\"redirect_uris\":[\"https://a.example/cb\"]}", "openid api"),
                Arguments.of("{\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"redirect_uris\":[\"https://a.example/cb\"]}", "openid api"),
                // no user to sign in: no OpenID Connect scopes
                Arguments.of("{\"grant_types\":[\"client_credentials\"]}", "api"),
                // a scope that was sent is kept (and capped), never topped up
                Arguments.of("{\"redirect_uris\":[\"https://a.example/cb\"],\"scope\":\"api\"}", "api"),
                Arguments.of("{\"redirect_uris\":[\"https://a.example/cb\"],\"scope\":\"profile\"}", null));
    }

    @ParameterizedTest
    @MethodSource("defaultScope")
    void aClientThatAsksForNoScopeGetsTheDefaultScope(String json, String expectedScope) throws Exception {
        assertEquals(expectedScope, pipeline(json).string(Param.SCOPE));
    }

    @ParameterizedTest
    @MethodSource("overrides")
    void overridesWinOverTheRequest(String forcedMethod, String json, String expectedMethod, String expectedScope) throws Exception {
        ClientMetadata m = MetadataJson.parse(JSONObjectUtils.parse(json));
        PolicyContext ctx = new PolicyContext(Operation.REGISTER, new Registrant(Registrant.Kind.CLIENT_AUTHENTICATES, "i", null),
                    RegistrationRequest.of(new ClientMetadata(Map.of()), Map.of()));
        m = new PolicyChain(List.of(new DefaultsPolicy(List.of()), new OverridesPolicy(forcedMethod, null, Set.of("api")))).apply(ctx, m);
        assertEquals(expectedMethod, m.authMethod());
        assertEquals(expectedScope, m.string(Param.SCOPE));
    }

    static Stream<Arguments> overrides() {
        return Stream.of(
                Arguments.of("client_secret_post", "{\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"api x\"}", "client_secret_post", "api"),
                Arguments.of(null, "{\"token_endpoint_auth_method\":\"none\",\"scope\":\"x y\"}", "none", null),
                Arguments.of("", "{\"scope\":\"api api\"}", "client_secret_basic", "api"));
    }
}
