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
    private final boolean check;

    private ProfileStep(Map<String, ProfilePolicy> byName, boolean check) {
        this.byName = byName;
        this.check = check;
    }

    public ProfileStep(Profiles profiles, Clock clock) {
        this(profiles.all().stream().collect(Collectors.toUnmodifiableMap(Profile::name, p -> new ProfilePolicy(p, clock))), false);
    }

    /**
     * The same rules once more at the end of the chain, so that what a regulator prescribes holds
     * whatever a declarative rule or plug-in did after the profile step: a member it requires and a
     * rule dropped is set again, a value it forbids and a plug-in forced is refused.
     */
    public ProfileStep last() {
        return new ProfileStep(byName, true);
    }

    @Override
    public String name(PolicyContext context) {
        String name = context.profile() == null ? "profile" : "profile " + context.profile();
        return check ? name + " (check)" : name;
    }

    /** A way of registering with no profile attached is recorded as such, so an operator sees none applied. */
    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata, Trace trace) {
        if (context.profile() == null) {
            if (!check) {
                trace.note(name(context), "not_applied", Map.of("reason", "no security profile is attached to this way of registering"));
            }
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
