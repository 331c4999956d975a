package io.registrar.oauth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 6749 §3.3 scope values, as the token and authorization endpoints and registered metadata read them. */
class ScopesTest {

    static Stream<Arguments> scopes() {
        return Stream.of(
                Arguments.of("openid", List.of("openid")),
                Arguments.of("openid profile email", List.of("openid", "profile", "email")),
                Arguments.of("  api   reports ", List.of("api", "reports")),
                Arguments.of("api api reports api", List.of("api", "reports")),
                Arguments.of("API api", List.of("API", "api")),
                Arguments.of("", List.of()),
                Arguments.of("   ", List.of()));
    }

    @ParameterizedTest
    @MethodSource("scopes")
    void parse(String value, List<String> expected) {
        assertEquals(expected, Scopes.parse(value));
    }
}
