package io.registrar.clientauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.Param;
import io.registrar.crypto.DistinguishedNames;
import io.registrar.oauth.OAuthException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Mutual-TLS client authentication (RFC 8705 §2). The TLS handshake accepts any certificate; this is
 * where it is judged. tls_client_auth: the chain must lead to a configured trusted issuer (PKIX, with
 * the configured intermediates and those the client sent), and the certificate must carry the
 * client's registered subject. self_signed_tls_client_auth: the certificate's public key must be one
 * of the client's registered keys; no chain is involved (§2.2).
 */
final class ClientCertificates {

    private static final String CLIENT_AUTH_EKU = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU = "2.5.29.37.0";

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> issuers;
    private final JwksSource jwks;
    private final Clock clock;

    /** @param trustedIssuers the configured roots and intermediates; every one is a trust anchor */
    ClientCertificates(List<X509Certificate> trustedIssuers, JwksSource jwks, Clock clock) {
        this.issuers = List.copyOf(trustedIssuers);
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate c : trustedIssuers) {
            a.add(new TrustAnchor(c, null));
        }
        this.anchors = Set.copyOf(a);
        this.jwks = jwks;
        this.clock = clock;
    }

    void verifyTlsClientAuth(RegisteredClient client, ClientCertificate presented) {
        X509Certificate leaf = presented.leaf();
        if (anchors.isEmpty()) {
            throw fail("No trusted certificate issuers are configured (server.mtls.trustedIssuers)");
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            // Revocation (CRL/OCSP) is not checked: it needs outbound fetches to the CA's URLs.
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            Collection<X509Certificate> pool = new ArrayList<>(presented.chain());
            pool.addAll(issuers);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            CertPathBuilder.getInstance("PKIX").build(params);
        } catch (GeneralSecurityException e) {
            throw fail("The client certificate does not chain to a trusted issuer, or is expired or not yet valid");
        }
        checkClientAuthUsage(leaf);
        if (client.certificateIssuerDn() != null && !DistinguishedNames.matches(client.certificateIssuerDn(), leaf.getIssuerX500Principal())) {
            throw fail("The client certificate was not issued by this client's approved issuer");
        }
        if (!subjectMatches(client.metadata(), leaf)) {
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

    /** RFC 5280 §4.2.1.12: a certificate restricted to other purposes is not a client certificate. */
    private static void checkClientAuthUsage(X509Certificate leaf) {
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(CLIENT_AUTH_EKU) && !eku.contains(ANY_EKU)) {
                throw fail("The client certificate is not for TLS client authentication (extended key usage)");
            }
        } catch (CertificateParsingException e) {
            throw fail("The client certificate's extended key usage cannot be read");
        }
    }

    /** RFC 8705 §2.1.2: the one registered subject parameter against the certificate. */
    static boolean subjectMatches(ClientMetadata m, X509Certificate leaf) {
        String dn = m.string(Param.TLS_CLIENT_AUTH_SUBJECT_DN);
        if (dn != null) {
            return DistinguishedNames.matches(dn, leaf.getSubjectX500Principal());
        }
        String dns = m.string(Param.TLS_CLIENT_AUTH_SAN_DNS);
        if (dns != null) {
            return sans(leaf, 2).stream().anyMatch(v -> v.equalsIgnoreCase(dns));
        }
        String uri = m.string(Param.TLS_CLIENT_AUTH_SAN_URI);
        if (uri != null) {
            return sans(leaf, 6).contains(uri);
        }
        String ip = m.string(Param.TLS_CLIENT_AUTH_SAN_IP);
        if (ip != null) {
            // Compare addresses, not spellings: 2001:db8::1 and 2001:0db8:0:0:0:0:0:1 are one address.
            InetAddress expected = address(ip);
            return expected != null && sans(leaf, 7).stream().map(ClientCertificates::address).anyMatch(expected::equals);
        }
        String email = m.string(Param.TLS_CLIENT_AUTH_SAN_EMAIL);
        if (email != null) {
            return sans(leaf, 1).stream().anyMatch(v -> emailEquals(v, email));
        }
        return false;
    }

    /** The local part is case-sensitive (RFC 5321 §2.4), the domain is not. */
    private static boolean emailEquals(String a, String b) {
        int ia = a.lastIndexOf('@');
        int ib = b.lastIndexOf('@');
        if (ia < 0 || ib < 0) {
            return a.equals(b);
        }
        return a.substring(0, ia).equals(b.substring(0, ib))
                && a.substring(ia + 1).toLowerCase(Locale.ROOT).equals(b.substring(ib + 1).toLowerCase(Locale.ROOT));
    }

    private static InetAddress address(String literal) {
        if (literal == null || !literal.matches("[0-9A-Fa-f.:]+")) {
            return null; // only literals: never a DNS lookup
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static List<String> sans(X509Certificate cert, int type) {
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            if (all == null) {
                return List.of();
            }
            return all.stream().filter(e -> ((Integer) e.get(0)) == type && e.get(1) instanceof String)
                    .map(e -> (String) e.get(1)).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static OAuthException fail(String description) {
        return OAuthException.invalidClient(description, false);
    }
}
