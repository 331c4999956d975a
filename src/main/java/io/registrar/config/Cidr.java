package io.registrar.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address range in CIDR notation (RFC 4632 §3.1; RFC 4291 §2.3 for IPv6): {@code 10.0.0.0/8},
 * {@code fd00::/8}, or one address ({@code 10.1.2.3} is {@code 10.1.2.3/32}). Only address literals:
 * a host name here would make the configuration depend on DNS.
 */
public record Cidr(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public Cidr {
        network = network.clone();
    }

    /** @throws IllegalArgumentException with a message fit for the operator */
    public static Cidr parse(String text) {
        String t = text == null ? "" : text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        if (!(IPV4.matcher(address).matches() || (address.contains(":") && address.matches("[0-9A-Fa-f:.]+")))) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range (e.g. 10.1.2.3/32, fd00::/8)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range (e.g. 10.1.2.3/32, fd00::/8)");
        }
        if (address.contains(":") && bytes.length == 4) {
            // ::ffff:a.b.c.d is an IPv4 address to Java; keep its IPv6 prefix length meaningful.
            throw new IllegalArgumentException("'" + text + "': write IPv4-mapped addresses as IPv4 (a.b.c.d/n)");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0-" + bits);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == network.length && java.util.Arrays.equals(mask(a, prefix), network);
    }

    /** Whether every address of {@code other} is in this range. */
    public boolean contains(Cidr other) {
        return other.network.length == network.length && other.prefix >= prefix
                && java.util.Arrays.equals(mask(other.network, prefix), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff00 >> keep));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
