package io.registrar.profile;

import io.registrar.metadata.ClientMetadata;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.RegistrationPolicy;
import io.registrar.policy.Trace;

import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The policy chain's profile step: the rules of the security profile the context names (the one
 * attached to the way the client registered), after the defaults and overrides and before the
 * declarative rules and plug-ins. A context with no profile passes unchanged.
 */
public final class ProfileStep implements RegistrationPolicy {

    private final Map<String, ProfilePolicy> byName;

    public ProfileStep(Profiles profiles, Clock clock) {
        this.byName = profiles.all().stream().collect(Collectors.toUnmodifiableMap(Profile::name, p -> new ProfilePolicy(p, clock)));
    }

    @Override
    public String name(PolicyContext context) {
        return context.profile() == null ? "profile" : "profile " + context.profile();
    }

    /** A way of registering with no profile attached is recorded as such, so an operator sees none applied. */
    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata, Trace trace) {
        if (context.profile() == null) {
            trace.note(name(context), "not_applied", Map.of("reason", "no security profile is attached to this way of registering"));
            return metadata;
        }
        return RegistrationPolicy.super.apply(context, metadata, trace);
    }

    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata) {
        if (context.profile() == null) {
            return metadata;
        }
        ProfilePolicy policy = byName.get(context.profile());
        if (policy == null) {
            // A client registered under a profile this build no longer ships: refuse rather than drop its rules.
            throw new IllegalStateException("unknown security profile '" + context.profile() + "'");
        }
        return policy.apply(context, metadata);
    }
}
