package io.registrar.policy;

import io.registrar.metadata.ClientMetadata;

import java.util.List;

/** The policies in their fixed order, as built in the composition root. */
public final class PolicyChain implements RegistrationPolicy {

    private final List<RegistrationPolicy> policies;

    public PolicyChain(List<RegistrationPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata) {
        ClientMetadata current = metadata;
        for (RegistrationPolicy p : policies) {
            current = p.apply(context, current);
        }
        return current;
    }
}
