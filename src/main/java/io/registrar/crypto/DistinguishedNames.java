package io.registrar.crypto;

import javax.naming.InvalidNameException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Distinguished name comparison for tls_client_auth_subject_dn (RFC 8705 §2.1.2: "the expected
 * subject distinguished name ... as a string representation as defined in RFC 4514"). Two names match
 * when their RDNs match, each RDN compared as a set of attribute-value assertions in canonical form:
 * attribute types by OID whatever their spelling ({@code CN}, {@code cn}, {@code 2.5.4.3}), values
 * after escaping, case folding and whitespace normalisation (X500Principal's canonical form). The RDN
 * sequence may be written in RFC 4514 order (most specific first) or in the certificate's own order
 * (as openssl prints it), which is the usual way the same subject ends up written differently.
 */
public final class DistinguishedNames {

    private DistinguishedNames() {
    }

    /** Whether {@code dn} parses as an RFC 4514 distinguished name. */
    public static boolean isValid(String dn) {
        try {
            return !canonicalRdns(dn).isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean matches(String registered, X500Principal actual) {
        List<Set<String>> expected;
        try {
            expected = canonicalRdns(registered);
        } catch (IllegalArgumentException e) {
            return false;
        }
        List<Set<String>> presented = canonicalRdns(actual.getName(X500Principal.RFC2253));
        return expected.equals(presented) || expected.equals(presented.reversed());
    }

    /** RDNs in RFC 4514 string order, each as its set of canonical "type=value" assertions. */
    static List<Set<String>> canonicalRdns(String dn) {
        LdapName name;
        try {
            name = new LdapName(dn);
        } catch (InvalidNameException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RFC 4514 distinguished name: " + dn, e);
        }
        List<Set<String>> out = new ArrayList<>();
        // LdapName keeps RDNs right to left (index 0 is the last in the string).
        List<Rdn> rdns = name.getRdns();
        for (int i = rdns.size() - 1; i >= 0; i--) {
            Set<String> avas = new TreeSet<>();
            try {
                NamingEnumeration<? extends Attribute> attributes = rdns.get(i).toAttributes().getAll();
                while (attributes.hasMore()) {
                    Attribute a = attributes.next();
                    for (NamingEnumeration<?> values = a.getAll(); values.hasMore(); ) {
                        Object v = values.next();
                        String ava = a.getID() + "=" + (v instanceof byte[] b ? "#" + java.util.HexFormat.of().formatHex(b) : Rdn.escapeValue(v));
                        avas.add(new X500Principal(ava).getName(X500Principal.CANONICAL));
                    }
                }
            } catch (NamingException | IllegalArgumentException e) {
                throw new IllegalArgumentException("not an RFC 4514 distinguished name: " + dn, e);
            }
            out.add(avas);
        }
        return out;
    }
}
