package io.registrar.clientauth;

import io.registrar.crypto.CertificateIdentity;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificate chain a client presented (RFC 8705), leaf first, however it arrived: in the TLS
 * handshake or from a TLS-terminating proxy. What it proves is decided by the client's registered method.
 */
public record ClientCertificate(List<X509Certificate> chain) {

    public ClientCertificate {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain has at least the client's certificate");
        }
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /** RFC 8705 §3.1: {@code x5t#S256}, the base64url SHA-256 of the DER certificate. */
    public String thumbprint() {
        return CertificateIdentity.thumbprint(leaf());
    }

    /** The leaf certificate's subject, issuer and thumbprint. */
    public CertificateIdentity identity() {
        return CertificateIdentity.of(leaf());
    }

    /** One or more PEM certificates, leaf first. Throws IllegalArgumentException when there are none or they do not parse. */
    public static ClientCertificate fromPem(String pem) {
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : f.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate in the PEM text");
            }
            return new ClientCertificate(certs);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
