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
}
