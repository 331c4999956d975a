package io.registrar.metadata;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The template overlay as a table: client's own values, the template's, and what the client is. */
class TemplateOverlayTest {

    static Stream<Arguments> overlays() {
        return Stream.of(
                Arguments.of("template wins on what it sets",
                        Map.of("redirect_uris", List.of("https://evil.example/cb"), "scope", "openid admin"),
                        Map.of("redirect_uris", List.of("com.example.app:/cb"), "scope", "openid"),
                        Map.of("redirect_uris", List.of("com.example.app:/cb"), "scope", "openid")),
                Arguments.of("a governed parameter the template leaves out is not the client's either",
                        Map.of("jwks_uri", "https://evil.example/jwks", "token_endpoint_auth_method", "none"),
                        Map.of("token_endpoint_auth_method", "client_secret_basic"),
                        Map.of("token_endpoint_auth_method", "client_secret_basic")),
                Arguments.of("the client keeps what the template neither governs nor sets",
                        Map.of("software_id", "com.example.app", "software_version", "2.1", "client_name", "Mine"),
                        Map.of("scope", "openid"),
                        Map.of("software_id", "com.example.app", "software_version", "2.1", "client_name", "Mine", "scope", "openid")),
                Arguments.of("a name the template sets replaces the client's, language variants included",
                        Map.of("client_name", "Mine", "client_name#fr", "Le mien"),
                        Map.of("client_name", "Example"),
                        Map.of("client_name", "Example")),
                Arguments.of("an empty template leaves only ungoverned values",
                        Map.of("grant_types", List.of("client_credentials"), "contacts", List.of("ops@example.com")),
                        Map.of(),
                        Map.of("contacts", List.of("ops@example.com"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theClientIsItsOwnValuesUnderTheTemplate(String name, Map<String, Object> own, Map<String, Object> template,
                                                 Map<String, Object> expected) {
        ClientMetadata result = TemplateOverlay.apply(new ClientMetadata(own), new ClientMetadata(template));
        assertEquals(expected, result.document());
        // What is stored for such a client is exactly its own part: re-applying gives the same client.
        ClientMetadata stored = TemplateOverlay.own(result, new ClientMetadata(template));
        assertEquals(expected, TemplateOverlay.apply(stored, new ClientMetadata(template)).document());
    }
}
