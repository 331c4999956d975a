package io.registrar.policy;

import java.util.Objects;

/**
 * What a policy may look at besides the metadata: the operation, who is registering, the request as
 * sent, and the security profile attached to the way the client registers (issue 20 §6; null: none),
 * by name.
 */
public record PolicyContext(Operation operation, Registrant registrant, RegistrationRequest request, String profile) {
    public PolicyContext {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(registrant, "registrant");
        Objects.requireNonNull(request, "request");
    }

    /** A registration or update under no security profile. */
    public PolicyContext(Operation operation, Registrant registrant, RegistrationRequest request) {
        this(operation, registrant, request, null);
    }
}
