package io.registrar.clientauth;

import java.util.List;

/**
 * A client that proved its identity (or, for a public client, named itself) on this request.
 * {@code certificateThumbprint}: the certificate of this request's connection, if any.
 */
public record AuthenticatedClient(RegisteredClient client, String certificateThumbprint) {

    public String clientId() {
        return client.clientId();
    }

    public boolean dynamic() {
        return client.dynamic();
    }

    public List<String> scopes() {
        return client.scopes();
    }

    public List<String> grantTypes() {
        return client.grantTypes();
    }

    /** Its tokens must be bound to its certificate (RFC 8705 §3). */
    public boolean certificateBound() {
        return client.certificateBoundTokens();
    }
}
