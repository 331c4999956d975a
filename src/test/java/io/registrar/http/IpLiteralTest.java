package io.registrar.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every spelling of one address is that address (Jetty writes IPv6 remote addresses in brackets, configuration may not). */
class IpLiteralTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "::1                      | [0:0:0:0:0:0:0:1]",
            "2001:db8::7              | [2001:db8:0:0:0:0:0:7]",
            "2001:DB8::7              | 2001:db8::7",
            "10.0.0.1                 | 10.0.0.1",
            "::ffff:10.0.0.1          | 10.0.0.1",
    })
    void spellingsOfOneAddressAreEqual(String configured, String remote) {
        assertEquals(IpLiteral.parse(configured).orElseThrow(), IpLiteral.parse(remote).orElseThrow());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"proxy.example", "localhost", "''", "10.0.0", "1.2.3.4.5"})
    void namesAreNotAddressesAndAreNeverLookedUp(String text) {
        assertTrue(IpLiteral.parse(text).isEmpty());
    }
}
