package io.registrar.oauth;

/**
 * Every error code Registrar answers with, and its HTTP status (a null code: the answer carries none).
 * One line per code; the code is chosen at the throw site, never derived from a message.
 */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),                           // RFC 6749 §5.2
    NOT_FOUND("invalid_request", 404),                                 // no such endpoint
    METHOD_NOT_ALLOWED("invalid_request", 405),
    PAYLOAD_TOO_LARGE("invalid_request", 413),
    UNSUPPORTED_MEDIA_TYPE("invalid_request", 415),
    INVALID_REDIRECT_URI("invalid_redirect_uri", 400),                 // RFC 7591 §3.2.2
    INVALID_CLIENT_METADATA("invalid_client_metadata", 400),           // RFC 7591 §3.2.2
    INVALID_SOFTWARE_STATEMENT("invalid_software_statement", 400),     // RFC 7591 §3.2.2
    UNAPPROVED_SOFTWARE_STATEMENT("unapproved_software_statement", 400), // RFC 7591 §3.2.2
    INVALID_TOKEN("invalid_token", 401),                               // RFC 6750 §3.1
    /** RFC 6750 §3.1: a request without credentials gets a challenge and no error code at all. */
    TOKEN_REQUIRED(null, 401),
    INSUFFICIENT_SCOPE("insufficient_scope", 403),                     // RFC 6750 §3.1
    INVALID_CLIENT("invalid_client", 401),                             // RFC 6749 §5.2
    INVALID_GRANT("invalid_grant", 400),                               // RFC 6749 §5.2
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),                   // RFC 6749 §5.2
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),             // RFC 6749 §5.2
    INVALID_SCOPE("invalid_scope", 400),                               // RFC 6749 §5.2
    UNSUPPORTED_TOKEN_TYPE("unsupported_token_type", 400),             // RFC 7009 §2.2.1
    UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400),       // RFC 6749 §4.1.2.1
    REQUEST_NOT_SUPPORTED("request_not_supported", 400),               // OpenID Connect Core §3.1.2.6
    INVALID_REQUEST_URI("invalid_request_uri", 400),                   // RFC 9101 §7 (OpenID Connect Core §3.1.2.6)
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
    SERVER_ERROR("server_error", 500);

    private final String code;
    private final int status;

    OAuthError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
