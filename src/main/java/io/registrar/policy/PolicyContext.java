package io.registrar.policy;

import java.util.Objects;

/** What a policy may look at besides the metadata: the operation, who is registering, and the request as sent. */
public record PolicyContext(Operation operation, Registrant registrant, RegistrationRequest request) {
    public PolicyContext {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(registrant, "registrant");
        Objects.requireNonNull(request, "request");
    }
}
