package io.registrar.outbound;

import java.net.InetAddress;

/**
 * The SSRF guard: which addresses the server may connect to when it fetches a URL a client gave it
 * (RFC 7591 §5 and OAuth 2.0 Security BCP, RFC 9700 §4.15 on server-side requests). Applied to the
 * addresses actually connected to, after resolution, so a name that resolves to an internal address
 * is caught too.
 */
public final class AddressGuard {

    private AddressGuard() {
    }

    /** Loopback, private (RFC 1918, RFC 4193), link-local, shared (RFC 6598), unspecified or multicast. */
    public static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0                                      // "this network", 0.0.0.0/8
                    || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT, 100.64.0.0/10
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || first >= 240;                                // reserved and broadcast
        }
        // IPv6 unique local addresses fc00::/7 (RFC 4193).
        return (b[0] & 0xfe) == 0xfc;
    }
}
