package io.registrar.oauth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a deployment enables, from mTLS and registration.authMethods. */
class VocabularyTest {

    @ParameterizedTest(name = "mtls={0}, configured={1}")
    @CsvSource(delimiter = ';', value = {
            // mtls; registration.authMethods; registrable; client authentication methods
            "false; client_secret_basic private_key_jwt; client_secret_basic private_key_jwt;"
                    + " client_secret_basic client_secret_post client_secret_jwt private_key_jwt",
            "false; tls_client_auth none client_secret_post; client_secret_post none;"
                    + " client_secret_basic client_secret_post client_secret_jwt private_key_jwt",
            "true; tls_client_auth self_signed_tls_client_auth; tls_client_auth self_signed_tls_client_auth;"
                    + " client_secret_basic client_secret_post client_secret_jwt private_key_jwt tls_client_auth self_signed_tls_client_auth",
            "true; none; none;"
                    + " client_secret_basic client_secret_post client_secret_jwt private_key_jwt tls_client_auth self_signed_tls_client_auth",
            "true; made_up client_secret_basic; client_secret_basic;"
                    + " client_secret_basic client_secret_post client_secret_jwt private_key_jwt tls_client_auth self_signed_tls_client_auth",
    })
    void enabledMethods(boolean mtls, String configured, String registrable, String clientMethods) {
        Vocabulary v = Vocabulary.of(mtls, words(configured));
        assertEquals(words(registrable), v.registrationAuthMethods());
        assertEquals(words(clientMethods), v.clientAuthMethods());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "private_key_jwt; RS256 PS256 ES256 EdDSA",
            "client_secret_jwt; HS256 HS384 HS512",
            "client_secret_basic; ''",
            "none; ''",
            "tls_client_auth; ''",
    })
    void assertionAlgorithmsFollowTheMethod(String method, String algs) {
        assertEquals(words(algs), Vocabulary.of(true, Vocabulary.AUTH_METHODS).assertionAlgsFor(method));
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}
