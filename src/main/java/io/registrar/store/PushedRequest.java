package io.registrar.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A pushed authorization request (RFC 9126 §2): found by the hash of its request_uri, for the client
 * that pushed it, with the parameters the pushed request carried (client authentication left out), each
 * once, until {@code expiresAt}.
 */
public record PushedRequest(String uriHash, String clientId, Map<String, String> parameters, Instant expiresAt) {
    public PushedRequest {
        Objects.requireNonNull(uriHash, "uriHash");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        parameters = Map.copyOf(parameters);
    }
}
