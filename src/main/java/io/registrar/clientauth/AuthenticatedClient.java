package io.registrar.clientauth;

import java.util.List;

/** A client that proved its identity: what it may ask the token endpoint for. */
public record AuthenticatedClient(String clientId, boolean dynamic, List<String> scopes, List<String> grantTypes) {
    public AuthenticatedClient {
        scopes = List.copyOf(scopes);
        grantTypes = List.copyOf(grantTypes);
    }
}
