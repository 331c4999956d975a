package io.registrar.outbound;

import io.registrar.config.Cidr;
import io.registrar.config.RegistrarConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The SSRF guard: which addresses the server may connect to when it fetches a URL a client gave it
 * (RFC 7591 §5 and OAuth 2.0 Security BCP, RFC 9700 §4.15 on server-side requests). Applied to the
 * addresses actually connected to, after resolution, so a name that resolves to an internal address
 * is caught too.
 *
 * <p>The verdict, in order: the most specific matching entry of {@code outbound.allowedAddresses} /
 * {@code outbound.deniedAddresses} decides (a tie denies), so one internal host can be allowed inside
 * a denied or private range. Link-local addresses and the cloud metadata services are refused unless
 * an allowed entry lies inside their range (allowing {@code 0.0.0.0/0} does not open them). Other
 * internal addresses are refused unless {@code outbound.allowPrivateAddresses}; public ones are allowed.
 */
public final class AddressGuard {

    /**
     * Refused even with allowPrivateAddresses: link-local (RFC 3927, RFC 4291 §2.5.6), where every
     * cloud's instance metadata service answers (169.254.169.254; AWS's IPv6 one fd00:ec2::254),
     * and Alibaba Cloud's metadata address.
     */
    private static final List<Cidr> ALWAYS_REFUSED = List.of(Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"),
            Cidr.parse("fd00:ec2::254/128"), Cidr.parse("100.100.100.200/32"));
    /**
     * IPv6 addresses that carry an IPv4 address a gateway or relay will connect to: NAT64 (RFC 6052
     * §2.1, and the local-use prefix of RFC 8215, whose operator may embed the IPv4 address as a /48
     * or a /96 prefix does), 6to4 (RFC 3056), Teredo (RFC 4380 §4: server, and client XOR-obscured)
     * and the deprecated IPv4-compatible form (RFC 4291 §2.5.5.1).
     */
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr NAT64_LOCAL = Cidr.parse("64:ff9b:1::/48");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr TEREDO = Cidr.parse("2001::/32");
    private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");
    /** :: and ::1 are in ::/96 but are themselves, not IPv4 addresses; the allow list may name them. */
    private static final Cidr UNSPECIFIED_AND_LOOPBACK = Cidr.parse("::/127");

    private final boolean allowPrivate;
    private final List<Cidr> allowed;
    private final List<Cidr> denied;

    public AddressGuard(boolean allowPrivate, List<Cidr> allowed, List<Cidr> denied) {
        this.allowPrivate = allowPrivate;
        this.allowed = List.copyOf(allowed);
        this.denied = List.copyOf(denied);
    }

    public static AddressGuard of(RegistrarConfig.Outbound config) {
        return new AddressGuard(config.allowPrivateAddresses(), config.allowedAddresses().stream().map(Cidr::parse).toList(),
                config.deniedAddresses().stream().map(Cidr::parse).toList());
    }

    /** Null when the server may connect to {@code a}; otherwise why not. */
    public String refusal(InetAddress a) {
        for (InetAddress v4 : embeddedIpv4(a)) {
            String refusal = refusal(v4);
            if (refusal != null) {
                return a.getHostAddress() + " leads to " + refusal;
            }
        }
        Cidr allow = mostSpecific(allowed, a);
        Cidr deny = mostSpecific(denied, a);
        if (deny != null && (allow == null || deny.prefix() >= allow.prefix())) {
            return a.getHostAddress() + " is in outbound.deniedAddresses (" + deny + ")";
        }
        for (Cidr r : ALWAYS_REFUSED) {
            if (r.contains(a) && (allow == null || !r.contains(allow))) {
                return a.getHostAddress() + " is a link-local or cloud metadata address (allowed only when listed in "
                        + "outbound.allowedAddresses)";
            }
        }
        if (allow != null || allowPrivate || !isInternal(a)) {
            return null;
        }
        return a.getHostAddress() + " is a private, loopback or link-local address";
    }

    public boolean allows(InetAddress a) {
        return refusal(a) == null;
    }

    /** The IPv4 addresses an IPv6 address may lead to; every one must be allowed. */
    private static List<InetAddress> embeddedIpv4(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 16) {
            return List.of();
        }
        if (NAT64.contains(a) || (IPV4_COMPATIBLE.contains(a) && !UNSPECIFIED_AND_LOOPBACK.contains(a))) {
            return List.of(ipv4(b[12], b[13], b[14], b[15]));
        }
        if (NAT64_LOCAL.contains(a)) {
            // RFC 6052 §2.2: the operator picks the prefix length inside the /48, so every layout that
            // fits must lead somewhere allowed (/48, /56 and /64 skip bits 64-71; /96 is the tail).
            return List.of(ipv4(b[6], b[7], b[9], b[10]), ipv4(b[7], b[9], b[10], b[11]),
                    ipv4(b[9], b[10], b[11], b[12]), ipv4(b[12], b[13], b[14], b[15]));
        }
        if (SIX_TO_FOUR.contains(a)) {
            return List.of(ipv4(b[2], b[3], b[4], b[5]));
        }
        if (TEREDO.contains(a)) {
            return List.of(ipv4(b[4], b[5], b[6], b[7]), ipv4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]));
        }
        return List.of();
    }

    private static InetAddress ipv4(byte b0, byte b1, byte b2, byte b3) {
        try {
            return InetAddress.getByAddress(new byte[]{b0, b1, b2, b3});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private static Cidr mostSpecific(List<Cidr> ranges, InetAddress a) {
        Cidr best = null;
        for (Cidr c : ranges) {
            if (c.contains(a) && (best == null || c.prefix() > best.prefix())) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Loopback, private (RFC 1918, RFC 4193), link-local, shared (RFC 6598), benchmarking (RFC 2544),
     * unspecified, reserved or multicast.
     */
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
                    || (first == 198 && (second == 18 || second == 19))  // benchmarking, 198.18.0.0/15
                    || first >= 240;                                // reserved and broadcast
        }
        // IPv6 unique local addresses fc00::/7 (RFC 4193), and the local-use NAT64 prefix
        // 64:ff9b:1::/48 (RFC 8215 §4), which only translates within a private network.
        return (b[0] & 0xfe) == 0xfc || NAT64_LOCAL.contains(a);
    }
}
