package io.registrar.oauth;

import java.util.Objects;

/**
 * The one exception that carries an OAuth error to the client. {@code description} is sent as
 * {@code error_description}; {@code internalDetail} only ever reaches the log.
 */
public final class OAuthException extends RuntimeException {

    /** Which {@code WWW-Authenticate} challenge a 401/403 carries (RFC 6750 §3, RFC 6749 §5.2). */
    public enum Challenge { NONE, BEARER, BASIC }

    private static final String TOKEN_REQUIRED = "A bearer token is required";

    private final OAuthError error;
    private final String description;
    private final Challenge challenge;
    private final String requiredScope;
    private final long retryAfterSeconds;

    private OAuthException(OAuthError error, String description, Challenge challenge, String internalDetail, Throwable cause) {
        this(error, description, challenge, internalDetail, cause, null, 0);
    }

    private OAuthException(OAuthError error, String description, Challenge challenge, String internalDetail, Throwable cause,
                           String requiredScope, long retryAfterSeconds) {
        super(internalDetail == null ? (error.code() == null ? "" : error.code() + ": ") + description : internalDetail,
                cause, false, false);
        this.error = Objects.requireNonNull(error, "error");
        this.description = Objects.requireNonNull(description, "description");
        this.challenge = Objects.requireNonNull(challenge, "challenge");
        this.requiredScope = requiredScope;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static OAuthException of(OAuthError error, String description) {
        return new OAuthException(error, description, Challenge.NONE, null, null);
    }

    public static OAuthException invalidRequest(String description) {
        return of(OAuthError.INVALID_REQUEST, description);
    }

    public static OAuthException invalidClientMetadata(String description) {
        return of(OAuthError.INVALID_CLIENT_METADATA, description);
    }

    public static OAuthException invalidRedirectUri(String description) {
        return of(OAuthError.INVALID_REDIRECT_URI, description);
    }

    /**
     * RFC 6750 §3.1: the request carried no bearer token (or used another scheme): 401 with a bare
     * Bearer challenge, no error code and no description; the client only learns that a token is wanted.
     */
    public static OAuthException tokenRequired() {
        return new OAuthException(OAuthError.TOKEN_REQUIRED, TOKEN_REQUIRED, Challenge.BEARER, null, null);
    }

    /** RFC 6750 §3.1: a bearer token was sent and is bad (unknown, expired, revoked): 401 with a Bearer challenge. */
    public static OAuthException invalidToken(String description) {
        return new OAuthException(OAuthError.INVALID_TOKEN, description, Challenge.BEARER, null, null);
    }

    /** RFC 6750 §3.1: 403 with a Bearer challenge naming the missing scope. */
    public static OAuthException insufficientScope(String description, String requiredScope) {
        return new OAuthException(OAuthError.INSUFFICIENT_SCOPE, description, Challenge.BEARER, null, null,
                Objects.requireNonNull(requiredScope, "requiredScope"), 0);
    }

    /** The scope an insufficient_scope error's challenge names (RFC 6750 §3), else null. */
    public String requiredScope() {
        return requiredScope;
    }

    /** RFC 6749 §5.2: invalid_client; a Basic challenge when the client tried Basic. */
    public static OAuthException invalidClient(String description, boolean usedBasic) {
        return new OAuthException(OAuthError.INVALID_CLIENT, description,
                usedBasic ? Challenge.BASIC : Challenge.NONE, null, null);
    }

    /**
     * RFC 6749 §5.2 invalid_client for a client whose secret is being guessed: refused before its
     * credentials were checked, with how long to wait (sent as Retry-After, RFC 9110 §10.2.3).
     */
    public static OAuthException invalidClientThrottled(String description, boolean usedBasic, long retryAfterSeconds) {
        return new OAuthException(OAuthError.INVALID_CLIENT, description, usedBasic ? Challenge.BASIC : Challenge.NONE, null, null,
                null, retryAfterSeconds);
    }

    /** Seconds the client should wait before trying again (Retry-After), or 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static OAuthException serverError(String internalDetail, Throwable cause) {
        return new OAuthException(OAuthError.SERVER_ERROR, "The server could not complete the request",
                Challenge.NONE, internalDetail, cause);
    }

    public OAuthError error() {
        return error;
    }

    public String description() {
        return description;
    }

    public Challenge challenge() {
        return challenge;
    }
}
