package io.registrar.statement;

import io.registrar.oauth.OAuthException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7591 §2.3: which statement claims replace members of the body, and which never do. */
class ClaimsOverTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a metadata claim wins",
                        Map.of("client_name", "Body"), Map.of("client_name", "Statement"),
                        Map.of("client_name", "Statement")),
                Arguments.of("members the statement lacks stay",
                        Map.of("client_name", "Body", "scope", "api"), Map.of("client_name", "Statement"),
                        Map.of("client_name", "Statement", "scope", "api")),
                Arguments.of("the JWT's own claims are no metadata",
                        Map.of("client_name", "Body"), Map.of("iss", "https://d", "iat", 1, "exp", 2, "jti", "j", "aud", "x", "sub", "s"),
                        Map.of("client_name", "Body")),
                Arguments.of("directory claims are no metadata",
                        Map.of(), Map.of("org_id", "o", "software_roles", List.of("AISP"), "software_redirect_uris", List.of("https://a/cb")),
                        Map.of()),
                Arguments.of("software_id and software_version are metadata (RFC 7591 §2)",
                        Map.of("software_id", "body-id"), Map.of("software_id", "acme", "software_version", "1"),
                        Map.of("software_id", "acme", "software_version", "1")),
                Arguments.of("the statement itself is taken out of the body",
                        Map.of("software_statement", "eyJ...", "client_name", "Body"), Map.of(),
                        Map.of("client_name", "Body")),
                Arguments.of("a language-tagged name is metadata too",
                        Map.of("client_name#fr", "Corps"), Map.of("client_name#fr", "Déclaration"),
                        Map.of("client_name#fr", "Déclaration")),
                Arguments.of("lists are replaced, not merged",
                        Map.of("redirect_uris", List.of("https://a/1", "https://a/2")), Map.of("redirect_uris", List.of("https://a/3")),
                        Map.of("redirect_uris", List.of("https://a/3"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void claimsOverTheBody(String name, Map<String, Object> body, Map<String, Object> claims, Map<String, Object> expected) {
        assertEquals(expected, SoftwareStatements.claimsOver(body, claims));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedMetadataClaimIsTheStatementsFault(String name, Map<String, Object> claims) {
        OAuthException e = assertThrows(OAuthException.class, () -> SoftwareStatements.claimsOver(Map.of(), claims));
        assertEquals("invalid_software_statement", e.error().code());
        assertTrue(e.description().startsWith("software_statement: "), e.description());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("grant_types as a string", Map.of("grant_types", "client_credentials")),
                Arguments.of("a redirect URI with a fragment", Map.of("redirect_uris", List.of("https://a/cb#x"))),
                Arguments.of("scope as a number", Map.of("scope", 5)));
    }
}
