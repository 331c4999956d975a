package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.config.RegistrarConfig;

import java.net.InetAddress;
import java.util.Set;

/**
 * server.trustedProxies: the peers whose forwarding headers are believed (X-Forwarded-For for the
 * user's address, the configured header for a client certificate). Anyone else could set them.
 */
final class TrustedProxies {

    private final Set<InetAddress> addresses;

    TrustedProxies(RegistrarConfig.Server server) {
        this.addresses = of(server);
    }

    /** server.trustedProxies as addresses, so that every spelling of one (::1, [0:0:0:0:0:0:0:1]) matches. */
    static Set<InetAddress> of(RegistrarConfig.Server server) {
        return server.trustedProxies().stream().map(IpLiteral::parse).flatMap(java.util.Optional::stream)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Whether this request came straight from a trusted proxy. */
    boolean sentBy(Context ctx) {
        return !addresses.isEmpty() && IpLiteral.parse(ctx.req().getRemoteAddr()).map(addresses::contains).orElse(false);
    }

    /** The user's address: X-Forwarded-For's last hop (the one the trusted proxy added) behind a trusted proxy, else the connection's. */
    String clientAddress(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded != null && sentBy(ctx)) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].trim();
            if (!last.isEmpty()) {
                return last;
            }
        }
        return ctx.req().getRemoteAddr();
    }
}
