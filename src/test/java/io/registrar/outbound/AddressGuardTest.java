package io.registrar.outbound;

import io.registrar.config.Cidr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The SSRF guard: address classes, and the verdict under allow and deny lists. Nothing here connects anywhere. */
class AddressGuardTest {

    @ParameterizedTest(name = "{0} internal={1}")
    @CsvSource({
            "127.0.0.1, true", "127.8.9.10, true", "::1, true",
            "10.1.2.3, true", "172.16.0.1, true", "172.31.255.255, true", "192.168.1.1, true",
            "169.254.169.254, true", "fe80::1, true", "fc00::1, true", "fd12:3456::1, true",
            "0.0.0.0, true", "::, true", "100.64.0.1, true", "224.0.0.1, true", "255.255.255.255, true",
            "::ffff:10.0.0.1, true", "64:ff9b:1::1, true", "198.18.0.1, true", "198.19.255.254, true",
            "8.8.8.8, false", "172.32.0.1, false", "198.17.255.255, false", "198.20.0.1, false", "100.128.0.1, false", "2001:4860:4860::8888, false", "93.184.216.34, false",
    })
    void classifies(String address, boolean internal) throws Exception {
        assertEquals(internal, AddressGuard.isInternal(InetAddress.getByName(address)));
    }

    /** allowPrivate | allowedAddresses (space-separated) | deniedAddresses | address | allowed */
    @ParameterizedTest(name = "private={0} allow=[{1}] deny=[{2}] {3} → {4}")
    @CsvSource(delimiter = '|', value = {
            // Defaults: public allowed, internal refused.
            "false |                          |                  | 93.184.216.34     | true",
            "false |                          |                  | 10.1.2.3          | false",
            "false |                          |                  | ::ffff:10.1.2.3   | false",
            "false |                          |                  | 2001:db8::1       | true",
            // One internal directory host allowed; its neighbours and other private ranges stay refused.
            "false | 10.1.2.3                 |                  | 10.1.2.3          | true",
            "false | 10.1.2.3                 |                  | 10.1.2.4          | false",
            "false | 10.1.2.3                 |                  | 192.168.0.1       | false",
            "false | 10.1.2.0/24              |                  | 10.1.2.200        | true",
            "false | fd12:3456::/32           |                  | fd12:3456::7      | true",
            "false | fd12:3456::/32           |                  | fd12:3457::7      | false",
            // The most specific entry wins; a tie denies.
            "false | 10.1.2.3                 | 10.0.0.0/8       | 10.1.2.3          | true",
            "false | 10.0.0.0/8               | 10.1.2.0/24      | 10.1.2.3          | false",
            "false | 10.0.0.0/8               | 10.1.2.0/24      | 10.9.0.1          | true",
            "false | 10.1.2.3/32              | 10.1.2.3         | 10.1.2.3          | false",
            // A deny list refuses public addresses too, and works with allowPrivateAddresses.
            "false |                          | 93.184.216.0/24  | 93.184.216.34     | false",
            "true  |                          | 10.0.0.0/8       | 10.1.2.3          | false",
            "true  |                          | 10.0.0.0/8       | 192.168.0.1       | true",
            // Link-local and the metadata services: refused even with allowPrivateAddresses ...
            "true  |                          |                  | 169.254.169.254   | false",
            "true  |                          |                  | 169.254.10.10     | false",
            "true  |                          |                  | fe80::1           | false",
            "true  |                          |                  | fd00:ec2::254     | false",
            "true  |                          |                  | 100.100.100.200   | false",
            "true  |                          |                  | fd00:ec2::253     | true",
            // ... and by a broad allow entry ...
            "false | 0.0.0.0/0                |                  | 169.254.169.254   | false",
            "false | 0.0.0.0/0                |                  | 10.1.2.3          | true",
            "false | ::/0                     |                  | fd00:ec2::254     | false",
            "false | 169.0.0.0/8              |                  | 169.254.169.254   | false",
            // ... unless an entry inside their range names them.
            "false | 169.254.169.254          |                  | 169.254.169.254   | true",
            "false | 169.254.0.0/16           |                  | 169.254.1.1       | true",
            "false | fd00:ec2::254/128        |                  | fd00:ec2::254     | true",
            "false | 169.254.169.254          | 169.254.0.0/16   | 169.254.169.254   | true",
            // IPv4 inside NAT64 and 6to4 addresses is judged too.
            "false |                          |                  | 64:ff9b::a9fe:a9fe | false",
            "false |                          |                  | 64:ff9b::a01:203  | false",
            "false |                          |                  | 64:ff9b::5db8:d822 | true",
            "false |                          |                  | 2002:a9fe:a9fe::1 | false",
            "true  |                          |                  | 64:ff9b::a9fe:a9fe | false",
            // NAT64 local use (RFC 8215), in the /48 layout (bits 48-63, 72-87) and the /96 one.
            "false |                          |                  | 64:ff9b:1:7f00:1:100::  | false",
            "false |                          |                  | 64:ff9b:1::a01:203 | false",
            "false |                          |                  | 64:ff9b:1:5db8:d8:2200:: | false",
            "true  |                          |                  | 64:ff9b:1:5db8:d8:2200:5db8:d822 | true",
            "true  |                          |                  | 64:ff9b:1:a9fe:a9:fe00:5db8:d822 | false",
            // Teredo: the server's IPv4 address, and the client's XOR 0xffffffff (RFC 4380 §4).
            "false |                          |                  | 2001:0:a01:203::    | false",
            "false |                          |                  | 2001:0:5db8:d822::80ff:fffe | false",
            "false |                          |                  | 2001:0:5db8:d822::a247:2ddd | true",
            // IPv4-compatible (::a.b.c.d, deprecated) and benchmarking addresses.
            "false |                          |                  | ::a9fe:a9fe       | false",
            "false |                          |                  | ::5db8:d822       | true",
            "false | ::1                      |                  | ::1               | true",
            "false |                          |                  | ::1               | false",
            // Local-use NAT64 in the /56 and /64 layouts leading to the metadata service.
            "true  |                          |                  | 64:ff9b:1:a9:fe:a9fe:: | false",
            "true  |                          |                  | 64:ff9b:1:0:a9:fea9:fe00:0 | false",
            "false |                          |                  | 198.18.0.1        | false",
            "true  |                          |                  | 198.18.0.1        | true",
    })
    void verdict(boolean allowPrivate, String allowed, String denied, String address, boolean expected) throws Exception {
        AddressGuard guard = new AddressGuard(allowPrivate, cidrs(allowed), cidrs(denied));
        String refusal = guard.refusal(InetAddress.getByName(address));
        assertEquals(expected, refusal == null, String.valueOf(refusal));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"example.com", "10.1.2.3/33", "fd00::/129", "10.1.2/8", "10.1.2.3/x", "::ffff:10.0.0.1/104", "''"})
    void malformedRangesAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    }

    private static List<Cidr> cidrs(String spaceSeparated) {
        return spaceSeparated == null ? List.of()
                : Arrays.stream(spaceSeparated.trim().split("\\s+")).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    }
}
