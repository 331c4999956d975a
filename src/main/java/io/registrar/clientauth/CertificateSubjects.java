package io.registrar.clientauth;

import io.registrar.crypto.DistinguishedNames;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.Param;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * tls_client_auth's subject parameters (RFC 8705 §2.1.2) against a certificate: the token endpoint
 * checks them on every authentication, and a registration over mutual TLS checks the ones it asks for
 * against the certificate it registers with.
 */
public final class CertificateSubjects {

    private CertificateSubjects() {
    }

    /** RFC 8705 §2.1.2: the one registered subject parameter against the certificate. */
    public static boolean matches(ClientMetadata m, X509Certificate leaf) {
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
            return expected != null && sans(leaf, 7).stream().map(CertificateSubjects::address).anyMatch(expected::equals);
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

}
