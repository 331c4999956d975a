package io.registrar.registration;

import io.registrar.crypto.SecretBox;
import io.registrar.crypto.Secrets;
import io.registrar.metadata.Param;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Issues client secrets and registration access tokens, for registration and for RFC 7592 rotation. */
public final class CredentialIssuer {

    /** Whether an operation issues a client secret, and how it is kept. */
    public enum SecretKind {
        /** No new secret. */
        NONE,
        /** A secret kept as a hash only (client_secret_basic, client_secret_post). */
        HASHED,
        /**
         * A secret the server can read back (client_secret_jwt): 512 bits, so that HS512 has a key of
         * its full length (RFC 7518 §3.2), kept hashed and encrypted.
         */
        READABLE
    }

    /**
     * Between the client id and the random part of a registration access token: not in base64url, so
     * the last one ends the client id (which may contain dots itself: Secrets.newClientId).
     */
    private static final char TOKEN_CLIENT_SEPARATOR = '.';
    /** Prefix of the additional authenticated data of a sealed rotation response. */
    private static final String HANDED_OUT_PURPOSE = "rfc7592-rotation:";

    private final Secrets secrets;
    private final SecretBox secretBox;
    private final Duration secretLifetime;
    private final Duration tokenLifetime;
    private final Duration deleteTokenLifetime;

    /** @param secretLifetime zero: secrets never expire (client_secret_expires_at 0, RFC 7591 §3.2.1) */
    public CredentialIssuer(Secrets secrets, SecretBox secretBox, Duration secretLifetime, Duration tokenLifetime,
                            Duration deleteTokenLifetime) {
        this.secrets = secrets;
        this.secretBox = secretBox;
        this.secretLifetime = secretLifetime;
        this.tokenLifetime = tokenLifetime;
        this.deleteTokenLifetime = deleteTokenLifetime;
    }

    /**
     * A new registration access token, {@code <client_id>.<256 random bits, base64url>}, and a new
     * secret of {@code kind} for {@code clientId}.
     */
    public IssuedCredentials issue(SecretKind kind, String clientId, Instant now) {
        String secret = switch (kind) {
            case NONE -> null;
            case HASHED -> secrets.newSecret();
            case READABLE -> secrets.newSigningSecret();
        };
        String token = clientId + TOKEN_CLIENT_SEPARATOR + secrets.newSecret();
        return new IssuedCredentials(secret, secret == null ? null : secrets.hash(secret),
                kind == SecretKind.READABLE ? secretBox.encrypt(secret, clientId) : null,
                secret == null || secretLifetime.isZero() ? null : now.plus(secretLifetime),
                token, secrets.hash(token), now.plus(tokenLifetime), now.plus(deleteTokenLifetime));
    }

    /**
     * The client a registration access token was issued for, or null when it names none (tokens issued
     * before they named their client). RFC 7592 §2.1: a token presented for a client that does not
     * exist is revoked; naming its client in the token finds that client by its id, so token hashes
     * need no index (none is kept: every rotation would rewrite it). The id is no secret; the 256
     * random bits after it are the credential.
     */
    public static String clientOf(String registrationToken) {
        int separator = registrationToken.lastIndexOf(TOKEN_CLIENT_SEPARATOR);
        return separator <= 0 ? null : registrationToken.substring(0, separator);
    }

    /** The kind of secret a client with these metadata holds. */
    public static SecretKind kindFor(io.registrar.metadata.ClientMetadata m) {
        return !m.usesSecret() ? SecretKind.NONE : m.secretMustBeReadable() ? SecretKind.READABLE : SecretKind.HASHED;
    }

    /** The credentials an RFC 7592 rotation handed out: its new registration access token, and its new secret or null. */
    public record HandedOut(String registrationToken, String clientSecret) {
    }

    /**
     * A rotation's new credentials, encrypted to be handed out again within the rotation leeway. The
     * additional data names the purpose and the client, so that this ciphertext decrypts neither as a
     * client_secret_jwt secret nor on another client's row.
     */
    public String seal(HandedOut handedOut, String clientId) {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put(Param.REGISTRATION_ACCESS_TOKEN, handedOut.registrationToken());
        if (handedOut.clientSecret() != null) {
            plain.put(Param.CLIENT_SECRET, handedOut.clientSecret());
        }
        return secretBox.encrypt(Json.write(plain), HANDED_OUT_PURPOSE + clientId);
    }

    /** What {@link #seal} encrypted. */
    public HandedOut open(String sealed, String clientId) {
        Map<String, Object> plain = Json.parseObject(secretBox.decrypt(sealed, HANDED_OUT_PURPOSE + clientId), OAuthError.SERVER_ERROR);
        return new HandedOut((String) plain.get(Param.REGISTRATION_ACCESS_TOKEN), (String) plain.get(Param.CLIENT_SECRET));
    }

    /** The secret of a client_secret_jwt client, decrypted. */
    public String readSecret(String encrypted, String clientId) {
        return secretBox.decrypt(encrypted, clientId);
    }

    public String newClientId() {
        return secrets.newClientId();
    }
}
