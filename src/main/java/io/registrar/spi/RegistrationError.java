package io.registrar.spi;

/** The RFC 7591 §3.2.2 error codes a plug-in may refuse a registration or update with (HTTP 400). */
public enum RegistrationError {
    /** The value of one or more redirection URIs is invalid. */
    INVALID_REDIRECT_URI("invalid_redirect_uri"),
    /** The value of one of the client metadata fields is invalid, or the server rejects it by policy. */
    INVALID_CLIENT_METADATA("invalid_client_metadata"),
    /** The software statement presented is invalid. */
    INVALID_SOFTWARE_STATEMENT("invalid_software_statement"),
    /** The software statement presented is not approved for use by this server. */
    UNAPPROVED_SOFTWARE_STATEMENT("unapproved_software_statement");

    private final String code;

    RegistrationError(String code) {
        this.code = code;
    }

    /** The error code as sent in the {@code error} member. */
    public String code() {
        return code;
    }
}
