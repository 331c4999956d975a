package io.registrar.policy;

import java.util.Objects;

/** What a policy may look at besides the metadata: the operation and who is registering. */
public record PolicyContext(Operation operation, Registrant registrant) {
    public PolicyContext {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(registrant, "registrant");
    }
}
