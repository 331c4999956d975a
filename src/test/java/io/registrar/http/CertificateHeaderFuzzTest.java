package io.registrar.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static io.registrar.support.Refusals.onlyAsClientErrors;

/**
 * Issue 21 §1: the client certificate a trusted TLS-terminating proxy forwards (RFC 8705 §2), URL-encoded
 * PEM as nginx's $ssl_client_escaped_cert. Input: the header's value. Seeds:
 * CertificateHeaderFuzzTestInputs/proxyCertificateHeader.
 */
class CertificateHeaderFuzzTest {

    @FuzzTest
    void proxyCertificateHeader(byte[] input) {
        String value = new String(input, StandardCharsets.ISO_8859_1);
        onlyAsClientErrors(() -> {
            var certificate = CertificateSource.fromHeader("X-Client-Cert", value);
            if (certificate != null) {
                // What the token endpoint does with it next: bind tokens to its thumbprint (RFC 8705 §3).
                certificate.thumbprint();
            }
        });
    }
}
