package io.registrar.policy;

import io.registrar.metadata.ClientMetadata;

import java.util.EnumMap;
import java.util.Map;

/**
 * The policy chain of each way in (STYLE.md §2.5: the chain is chosen by how the caller was
 * authorised, and by the profile attached to that way). Each chain's order is fixed where it is
 * built: defaults, then the profile's overrides, then declarative rules, then plug-ins, and the
 * software statement's directory claims held against the result. A client's
 * updates run the chain of the way it was registered, since its registrant kind is stored with it.
 */
public final class Policies {

    private final Map<Registrant.Kind, RegistrationPolicy> chains;

    public Policies(Map<Registrant.Kind, ? extends RegistrationPolicy> chains) {
        this.chains = new EnumMap<>(chains);
        for (Registrant.Kind kind : Registrant.Kind.values()) {
            if (!this.chains.containsKey(kind)) {
                throw new IllegalArgumentException("no policy chain for " + kind);
            }
        }
    }

    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata) {
        return apply(context, metadata, Trace.OFF);
    }

    /** As {@link #apply(PolicyContext, ClientMetadata)}, recording each step in {@code trace} (explain mode). */
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata, Trace trace) {
        return chains.get(context.registrant().kind()).apply(context, metadata, trace);
    }
}
