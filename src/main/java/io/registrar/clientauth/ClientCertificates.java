package io.registrar.clientauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import io.registrar.crypto.DistinguishedNames;
import io.registrar.oauth.OAuthException;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Mutual-TLS client authentication (RFC 8705 §2). The TLS handshake accepts any certificate; this is
 * where it is judged. tls_client_auth: the chain must lead to a configured trusted issuer (PKIX, with
 * the configured intermediates and those the client sent), and the certificate must carry the
 * client's registered subject. self_signed_tls_client_auth: the certificate's public key must be one
 * of the client's registered keys; no chain is involved (§2.2).
 */
final class ClientCertificates {

    private final TrustedIssuers issuers;
    private final JwksSource jwks;

    ClientCertificates(TrustedIssuers issuers, JwksSource jwks) {
        this.issuers = issuers;
        this.jwks = jwks;
    }

    void verifyTlsClientAuth(RegisteredClient client, ClientCertificate presented) {
        X509Certificate leaf = presented.leaf();
        if (issuers.isEmpty()) {
            throw fail("No trusted certificate issuers are configured (server.mtls.trustedIssuers)");
        }
        issuers.verify(presented).ifPresent(problem -> {
            throw fail("The client certificate " + problem);
        });
        if (client.certificateIssuerDn() != null && !DistinguishedNames.matches(client.certificateIssuerDn(), leaf.getIssuerX500Principal())) {
            throw fail("The client certificate was not issued by this client's approved issuer");
        }
        if (!CertificateSubjects.matches(client.metadata(), leaf)) {
            throw fail("The client certificate's subject does not match the client's registered subject");
        }
    }

    void verifySelfSigned(RegisteredClient client, ClientCertificate presented) {
        PublicKey key = presented.leaf().getPublicKey();
        if (jwks.keysWhere(client.metadata(), k -> isKey(k, key)).isEmpty()) {
            throw fail("The client certificate's public key is not among the client's registered keys");
        }
    }

    private static boolean isKey(JWK jwk, PublicKey key) {
        try {
            return jwk instanceof AsymmetricJWK asym && Arrays.equals(asym.toPublicKey().getEncoded(), key.getEncoded());
        } catch (JOSEException e) {
            return false; // a key that cannot be a certificate's key
        }
    }

    private static OAuthException fail(String description) {
        return OAuthException.invalidClient(description, false);
    }
}
