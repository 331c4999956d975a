package io.registrar.crypto;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.security.auth.x500.X500Principal;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 4514 comparison of a registered tls_client_auth_subject_dn with a certificate's subject. */
class DistinguishedNamesTest {

    @ParameterizedTest(name = "{0} vs {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "CN=device-1,O=Acme,C=GB          | CN=device-1,O=Acme,C=GB        | true",
            "CN=device-1, O=Acme, C=GB        | CN=device-1,O=Acme,C=GB        | true",   // spaces after commas
            "cn=DEVICE-1,o=acme,c=gb          | CN=device-1,O=Acme,C=GB        | true",   // case-insensitive types and values
            "C=GB,O=Acme,CN=device-1          | CN=device-1,O=Acme,C=GB        | true",   // the certificate's own (openssl) order
            "2.5.4.3=device-1,O=Acme,C=GB     | CN=device-1,O=Acme,C=GB        | true",   // OID for CN
            "CN=device-1+SERIALNUMBER=7,O=Acme | SERIALNUMBER=7+CN=device-1,O=Acme | true", // multi-valued RDN is a set
            "CN=Acme\\, Inc.,C=US             | CN=Acme\\, Inc.,C=US           | true",   // escaped comma
            "CN=device-1,O=Acme  Corp,C=GB    | CN=device-1,O=Acme Corp,C=GB   | true",   // inner whitespace folded
            "CN=device-1,O=Acme,C=GB          | CN=device-2,O=Acme,C=GB        | false",
            "CN=device-1,O=Acme               | CN=device-1,O=Acme,C=GB        | false",  // missing RDN
            "CN=device-1,O=Acme,OU=X,C=GB     | CN=device-1,O=Acme,C=GB        | false",  // extra RDN
            "O=Acme,CN=device-1,C=GB          | CN=device-1,O=Acme,C=GB        | false",  // shuffled, neither order
            "CN=device-1\\,O=Acme,C=GB        | CN=device-1,O=Acme,C=GB        | false",  // escaped comma is data
            "not a dn                          | CN=device-1                    | false",
    })
    void matches(String registered, String certificateSubject, boolean expected) {
        assertEquals(expected, DistinguishedNames.matches(registered.trim(), new X500Principal(certificateSubject.trim())));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"CN=a,O=b | true", "not a dn | false", "'' | false", "CN= | true"})
    void validity(String dn, boolean expected) {
        assertEquals(expected, DistinguishedNames.isValid(dn.trim()));
    }
}
