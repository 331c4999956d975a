package io.registrar.registration;

import io.registrar.crypto.Secrets;

import java.time.Duration;
import java.time.Instant;

/** Issues client secrets and registration access tokens, for registration and for RFC 7592 rotation. */
public final class CredentialIssuer {

    private final Secrets secrets;
    private final Duration secretLifetime;
    private final Duration tokenLifetime;
    private final Duration deleteTokenLifetime;

    /** @param secretLifetime zero: secrets never expire (client_secret_expires_at 0, RFC 7591 §3.2.1) */
    public CredentialIssuer(Secrets secrets, Duration secretLifetime, Duration tokenLifetime, Duration deleteTokenLifetime) {
        this.secrets = secrets;
        this.secretLifetime = secretLifetime;
        this.tokenLifetime = tokenLifetime;
        this.deleteTokenLifetime = deleteTokenLifetime;
    }

    /** A new registration access token, and a new secret when {@code withSecret}. */
    public IssuedCredentials issue(boolean withSecret, Instant now) {
        String secret = withSecret ? secrets.newSecret() : null;
        String token = secrets.newSecret();
        return new IssuedCredentials(secret, secret == null ? null : secrets.hash(secret),
                secret == null || secretLifetime.isZero() ? null : now.plus(secretLifetime),
                token, secrets.hash(token), now.plus(tokenLifetime), now.plus(deleteTokenLifetime));
    }

    public String newClientId() {
        return secrets.newClientId();
    }
}
