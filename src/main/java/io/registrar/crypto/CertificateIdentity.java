package io.registrar.crypto;

import javax.security.auth.x500.X500Principal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;

/**
 * Who a certificate names and which certificate it is: subject and issuer distinguished names (RFC
 * 4514 strings) and the RFC 8705 §3.1 {@code x5t#S256} thumbprint (base64url SHA-256 of the DER
 * encoding). Kept with a client registered over mutual TLS (issue 20 §1), so operators see who
 * registered it and its registration access token can be bound to that certificate.
 */
public record CertificateIdentity(String subjectDn, String issuerDn, String thumbprint) {

    public CertificateIdentity {
        Objects.requireNonNull(subjectDn, "subjectDn");
        Objects.requireNonNull(issuerDn, "issuerDn");
        Objects.requireNonNull(thumbprint, "thumbprint");
    }

    public static CertificateIdentity of(X509Certificate certificate) {
        return new CertificateIdentity(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                certificate.getIssuerX500Principal().getName(X500Principal.RFC2253), thumbprint(certificate));
    }

    /** RFC 8705 §3.1: {@code x5t#S256}, the base64url SHA-256 of the DER certificate. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute the certificate thumbprint", e);
        }
    }
}
