package io.registrar.policy;

import io.registrar.metadata.ClientMetadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A registration or update as the policies see it: the client metadata the server understands, and
 * beside it what they may judge but the server does not store as metadata: the verified claims of a
 * software statement (RFC 7591 §2.3) and of a signed request, and the members no RFC defines
 * ({@code extensions}; RFC 7591 §2: ignored unless a policy understands them, never stored or echoed).
 * Claims are empty when the request carried none.
 */
public record RegistrationRequest(ClientMetadata metadata, Map<String, Object> statementClaims,
                                  Map<String, Object> signedRequestClaims, Map<String, Object> extensions) {
    public RegistrationRequest {
        Objects.requireNonNull(metadata, "metadata");
        statementClaims = readOnly(statementClaims);
        signedRequestClaims = readOnly(signedRequestClaims);
        extensions = readOnly(extensions);
    }

    /** JSON values may be null, which Map.copyOf refuses. */
    private static Map<String, Object> readOnly(Map<String, Object> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** A request of plain JSON metadata: no statement, no signed request. */
    public static RegistrationRequest of(ClientMetadata metadata, Map<String, Object> extensions) {
        return new RegistrationRequest(metadata, Map.of(), Map.of(), extensions);
    }
}
