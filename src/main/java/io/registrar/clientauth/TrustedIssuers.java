package io.registrar.clientauth;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A set of certificate authorities a client certificate must chain to: the token endpoint's
 * (server.mtls.trustedIssuers, for tls_client_auth) or the registration endpoint's
 * (registration.mutualTls.trustedIssuers, issue 20 §1), which a deployment may keep apart. Every
 * configured certificate, root or intermediate, is a trust anchor; the path is built with them and
 * the intermediates the client sent (PKIX, RFC 5280 §6), at the clock's time. A certificate from
 * another CA that carries a trusted CA's name fails: the path is checked by signature, not by name.
 */
public final class TrustedIssuers {

    private static final String CLIENT_AUTH_EKU = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU = "2.5.29.37.0";

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> certificates;
    private final Clock clock;

    public TrustedIssuers(List<X509Certificate> certificates, Clock clock) {
        this.certificates = List.copyOf(certificates);
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate c : certificates) {
            a.add(new TrustAnchor(c, null));
        }
        this.anchors = Set.copyOf(a);
        this.clock = clock;
    }

    public boolean isEmpty() {
        return anchors.isEmpty();
    }

    /**
     * Empty when the presented certificate chains to one of these issuers, is valid now and may be used
     * for TLS client authentication; otherwise what is wrong, worded to follow "The client certificate".
     */
    public Optional<String> verify(ClientCertificate presented) {
        if (anchors.isEmpty()) {
            return Optional.of("cannot be checked: no trusted issuers are configured");
        }
        X509Certificate leaf = presented.leaf();
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            // Revocation (CRL/OCSP) is not checked: it needs outbound fetches to the CA's URLs.
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            Collection<X509Certificate> pool = new ArrayList<>(presented.chain());
            pool.addAll(certificates);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            var result = (java.security.cert.PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            // PKIX does not check a trust anchor itself (RFC 5280 §6.1.1 takes it as given): an expired
            // configured root or intermediate must not keep vouching for certificates.
            result.getTrustAnchor().getTrustedCert().checkValidity(Date.from(clock.instant()));
        } catch (GeneralSecurityException e) {
            return Optional.of("does not chain to a trusted issuer, or is expired or not yet valid");
        }
        return clientAuthUsageProblem(leaf);
    }

    /** RFC 5280 §4.2.1.12: a certificate restricted to other purposes is not a client certificate. */
    private static Optional<String> clientAuthUsageProblem(X509Certificate leaf) {
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(CLIENT_AUTH_EKU) && !eku.contains(ANY_EKU)) {
                return Optional.of("is not for TLS client authentication (extended key usage)");
            }
            return Optional.empty();
        } catch (CertificateParsingException e) {
            return Optional.of("has an extended key usage that cannot be read");
        }
    }
}
