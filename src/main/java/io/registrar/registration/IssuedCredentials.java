package io.registrar.registration;

import java.time.Instant;

/**
 * Plain credentials handed to a client exactly once, with the hashes and expiries that are stored.
 * {@code clientSecret} is null for clients without a secret (token_endpoint_auth_method none), and
 * when an operation keeps the existing secret. {@code clientSecretEncrypted} is set only for secrets
 * the server must read back (client_secret_jwt).
 */
public record IssuedCredentials(String clientSecret, String clientSecretHash, String clientSecretEncrypted,
                                Instant clientSecretExpiresAt,
                                String registrationToken, String registrationTokenHash,
                                Instant registrationTokenExpiresAt, Instant registrationTokenDeleteExpiresAt) {
}
