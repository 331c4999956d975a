package io.registrar.outbound;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SSRF guard's address classes. */
class AddressGuardTest {

    @ParameterizedTest(name = "{0} internal={1}")
    @CsvSource({
            "127.0.0.1, true", "127.8.9.10, true", "::1, true",
            "10.1.2.3, true", "172.16.0.1, true", "172.31.255.255, true", "192.168.1.1, true",
            "169.254.169.254, true", "fe80::1, true", "fc00::1, true", "fd12:3456::1, true",
            "0.0.0.0, true", "::, true", "100.64.0.1, true", "224.0.0.1, true", "255.255.255.255, true",
            "::ffff:10.0.0.1, true",
            "8.8.8.8, false", "172.32.0.1, false", "100.128.0.1, false", "2001:4860:4860::8888, false", "93.184.216.34, false",
    })
    void classifies(String address, boolean internal) throws Exception {
        assertEquals(internal, AddressGuard.isInternal(InetAddress.getByName(address)));
    }
}
