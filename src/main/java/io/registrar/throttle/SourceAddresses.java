package io.registrar.throttle;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a throttle counts as one source address. An IPv4 address is itself. An IPv6 address counts by
 * its /64: a site is given at least a /64 (RFC 6177), and a host picks any address in it (RFC 8981),
 * so counting single IPv6 addresses would hand every guesser 2^64 fresh ones.
 */
public final class SourceAddresses {

    /** Only these characters, with a colon: an IPv6 literal to {@link InetAddress#getByName}, never a host name to look up. */
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private SourceAddresses() {
    }

    /** The address as counted: an IPv6 literal as its /64 prefix, anything else as given. */
    public static String bucket(String address) {
        String a = address == null ? "" : address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (!IPV6_LITERAL.matcher(a).matches()) {
            return a;
        }
        try {
            InetAddress parsed = InetAddress.getByName(a);
            if (!(parsed instanceof Inet6Address)) {
                // ::ffff:a.b.c.d, an IPv4 address written as IPv6
                return parsed.getHostAddress();
            }
            byte[] b = parsed.getAddress();
            return String.format(Locale.ROOT, "%x:%x:%x:%x::/64", (b[0] & 0xff) << 8 | (b[1] & 0xff), (b[2] & 0xff) << 8 | (b[3] & 0xff),
                    (b[4] & 0xff) << 8 | (b[5] & 0xff), (b[6] & 0xff) << 8 | (b[7] & 0xff));
        } catch (UnknownHostException e) {
            return a.toLowerCase(Locale.ROOT);
        }
    }
}
