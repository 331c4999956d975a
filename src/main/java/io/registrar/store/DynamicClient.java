package io.registrar.store;

import io.registrar.metadata.ClientMetadata;

import java.time.Instant;
import java.util.Objects;

/**
 * A dynamically registered client as stored in {@code dynamically_registered_clients}: metadata,
 * hashes of its secret and registration access token (never the plain values), their expiries,
 * status, and who registered it. A null {@code secretHash} means the client has no secret
 * (token_endpoint_auth_method none); a null {@code secretExpiresAt} means the secret never expires.
 * {@code secretEncrypted} is set only for client_secret_jwt, whose HMAC the server must recompute:
 * the secret encrypted under the key-encryption key (see {@code crypto.SecretBox}).
 * {@code metadata} is what the client is: for a client made from a template ({@code templateId}),
 * its own values overlaid with the template's current ones ({@code template}, resolved on read).
 * {@code authenticatedUser} is the user whose login authorised the registration, if any.
 * {@code leeway} is set after a rotation made with {@code management.rotationLeeway} on: the
 * registration access token it replaced, still answered with the same new credentials until the new
 * token is used or the leeway ends; null otherwise. {@code origin} is the registering certificate and
 * software statement, if any ({@link RegistrationOrigin#NONE} otherwise).
 */
public record DynamicClient(
        String clientId,
        ClientStatus status,
        ClientMetadata metadata,
        String secretHash,
        String secretEncrypted,
        Instant secretExpiresAt,
        String registrationTokenHash,
        Instant registrationTokenExpiresAt,
        Instant registrationTokenDeleteExpiresAt,
        String registeredBy,
        String registrantKind,
        String authenticatedUser,
        String templateId,
        Instant createdAt,
        Instant updatedAt,
        ClientTemplate template,
        RotationLeeway leeway,
        RegistrationOrigin origin) {

    public DynamicClient {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(registrationTokenHash, "registrationTokenHash");
        Objects.requireNonNull(registrationTokenExpiresAt, "registrationTokenExpiresAt");
        Objects.requireNonNull(registrationTokenDeleteExpiresAt, "registrationTokenDeleteExpiresAt");
        Objects.requireNonNull(registrantKind, "registrantKind");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        origin = origin == null ? RegistrationOrigin.NONE : origin;
    }

    /** A newly registered client: no rotation leeway yet. */
    public DynamicClient(String clientId, ClientStatus status, ClientMetadata metadata, String secretHash, String secretEncrypted,
                         Instant secretExpiresAt, String registrationTokenHash, Instant registrationTokenExpiresAt,
                         Instant registrationTokenDeleteExpiresAt, String registeredBy, String registrantKind,
                         String authenticatedUser, String templateId, Instant createdAt, Instant updatedAt, ClientTemplate template,
                         RegistrationOrigin origin) {
        this(clientId, status, metadata, secretHash, secretEncrypted, secretExpiresAt, registrationTokenHash, registrationTokenExpiresAt,
                registrationTokenDeleteExpiresAt, registeredBy, registrantKind, authenticatedUser, templateId, createdAt, updatedAt,
                template, null, origin);
    }

    public boolean active() {
        return status == ClientStatus.ACTIVE;
    }

    /**
     * New credentials (and possibly new metadata) after a GET/PUT rotation or a PUT. Any leeway of an
     * earlier rotation ends with it; {@link #withLeeway} sets the one a rotation opens.
     */
    public DynamicClient withCredentials(ClientMetadata newMetadata, String newSecretHash, String newSecretEncrypted,
                                         Instant newSecretExpiresAt, String newTokenHash, Instant tokenExpiresAt,
                                         Instant tokenDeleteExpiresAt, Instant now) {
        return new DynamicClient(clientId, status, newMetadata, newSecretHash, newSecretEncrypted, newSecretExpiresAt, newTokenHash,
                tokenExpiresAt, tokenDeleteExpiresAt, registeredBy, registrantKind, authenticatedUser, templateId,
                createdAt, now, template, null, origin);
    }

    /** This client with {@code newLeeway} (null: none). */
    public DynamicClient withLeeway(RotationLeeway newLeeway) {
        return new DynamicClient(clientId, status, metadata, secretHash, secretEncrypted, secretExpiresAt, registrationTokenHash,
                registrationTokenExpiresAt, registrationTokenDeleteExpiresAt, registeredBy, registrantKind, authenticatedUser, templateId,
                createdAt, updatedAt, template, newLeeway, origin);
    }

    /** This client with {@code newOrigin} (a PUT that brought a new software statement). */
    public DynamicClient withOrigin(RegistrationOrigin newOrigin) {
        return new DynamicClient(clientId, status, metadata, secretHash, secretEncrypted, secretExpiresAt, registrationTokenHash,
                registrationTokenExpiresAt, registrationTokenDeleteExpiresAt, registeredBy, registrantKind, authenticatedUser, templateId,
                createdAt, updatedAt, template, leeway, newOrigin);
    }
}
