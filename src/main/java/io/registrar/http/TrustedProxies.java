package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.config.RegistrarConfig;

import java.util.Set;

/**
 * server.trustedProxies: the peers whose forwarding headers are believed (X-Forwarded-For for the
 * user's address, the configured header for a client certificate). Anyone else could set them.
 */
final class TrustedProxies {

    private final Set<String> addresses;

    TrustedProxies(RegistrarConfig.Server server) {
        this.addresses = Set.copyOf(server.trustedProxies());
    }

    /** Whether this request came straight from a trusted proxy. */
    boolean sentBy(Context ctx) {
        return addresses.contains(ctx.req().getRemoteAddr());
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
