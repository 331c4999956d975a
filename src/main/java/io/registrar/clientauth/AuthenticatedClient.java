package io.registrar.clientauth;

import java.util.List;

/**
 * A client that proved its identity: what it may ask the token endpoint for. {@code certificateBound}:
 * its tokens must be bound to its certificate (RFC 8705 §3); {@code certificateThumbprint}: the
 * certificate of this request's connection, if any.
 */
public record AuthenticatedClient(String clientId, boolean dynamic, List<String> scopes, List<String> grantTypes,
                                  boolean certificateBound, String certificateThumbprint) {
    public AuthenticatedClient {
        scopes = List.copyOf(scopes);
        grantTypes = List.copyOf(grantTypes);
    }
}
