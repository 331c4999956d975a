package io.registrar.crypto;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a TLS certificate and key in PEM files are refused for, and that each refusal says why. */
class PemKeyMaterialTest {

    private static final KeyPair PAIR;
    private static final String CERTIFICATE;

    static {
        try {
            PAIR = CertificateMaker.ecKeyPair();
            X509Certificate certificate = CertificateMaker.localhost(PAIR, Duration.ofDays(1));
            CERTIFICATE = Pem.encode("CERTIFICATE", certificate.getEncoded());
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refused(String why, String certificatePem, String keyPem, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PemKeyMaterial.parse(certificatePem, keyPem));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    static Stream<Arguments> refusals() throws Exception {
        String key = Pem.encode("PRIVATE KEY", PAIR.getPrivate().getEncoded());
        String otherKey = Pem.encode("PRIVATE KEY", CertificateMaker.ecKeyPair().getPrivate().getEncoded());
        return Stream.of(
                Arguments.of("no certificate block", key, key, "holds no PEM certificate"),
                Arguments.of("a certificate block that is not a certificate", Pem.encode("CERTIFICATE", new byte[]{1, 2, 3}), key,
                        "the certificate file is not valid PEM"),
                Arguments.of("no key block", CERTIFICATE, CERTIFICATE, "holds no PEM private key"),
                Arguments.of("an encrypted PKCS#8 key", CERTIFICATE, Pem.encode("ENCRYPTED PRIVATE KEY", new byte[]{1, 2, 3}),
                        "the private key is encrypted"),
                Arguments.of("an encrypted PKCS#1 key", CERTIFICATE, """
                        -----BEGIN RSA PRIVATE KEY-----
                        Proc-Type: 4,ENCRYPTED
                        DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF

                        AAAA
                        -----END RSA PRIVATE KEY-----
                        """, "the private key is encrypted"),
                Arguments.of("a PKCS#8 block that is no key", CERTIFICATE, Pem.encode("PRIVATE KEY", new byte[]{1, 2, 3}),
                        "is not an RSA, EC or EdDSA key"),
                Arguments.of("another certificate's key", CERTIFICATE, otherKey, "does not belong to the first certificate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepted(String why, String keyPem) {
        assertEquals(PAIR.getPrivate(), PemKeyMaterial.parse(CERTIFICATE, keyPem).key());
    }

    static Stream<Arguments> accepted() {
        String key = Pem.encode("PRIVATE KEY", PAIR.getPrivate().getEncoded());
        return Stream.of(
                Arguments.of("PKCS#8", key),
                Arguments.of("PKCS#8 after an EC PARAMETERS block", "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + key));
    }
}
