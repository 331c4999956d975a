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
        return apply(context, metadata, Trace.OFF);
    }

    /** Each step in order, each recorded in the trace under its own name. */
    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata, Trace trace) {
        ClientMetadata current = metadata;
        for (RegistrationPolicy p : policies) {
            current = trace.on() ? p.apply(context, current, trace) : p.apply(context, current);
        }
        return current;
    }
}
