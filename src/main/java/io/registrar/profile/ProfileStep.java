package io.registrar.profile;

import io.registrar.metadata.ClientMetadata;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.RegistrationPolicy;

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
