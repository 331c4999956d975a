package io.registrar.policy;

import io.registrar.metadata.ClientMetadata;

/**
 * One step of the registration policy chain. Returns the metadata to continue with (a new value;
 * metadata is immutable); throws {@link io.registrar.oauth.OAuthException} to reject. A policy that
 * rejects metadata answers invalid_client_metadata, not an authorization error.
 */
@FunctionalInterface
public interface RegistrationPolicy {
    ClientMetadata apply(PolicyContext context, ClientMetadata metadata);

    /** The step's name in an explain trace (issue 20 §5). */
    default String name(PolicyContext context) {
        return getClass().getSimpleName();
    }

    /**
     * Applies the step and records it in {@code trace}: what it changed, or why it refused. A step made
     * of several (declarative rules) records each of them.
     */
    default ClientMetadata apply(PolicyContext context, ClientMetadata metadata, Trace trace) {
        return trace.change(name(context), metadata, () -> apply(context, metadata));
    }
}
