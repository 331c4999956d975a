package io.registrar.metadata;

import java.util.List;

/** RFC 7591 §2 / §3.2.1, RFC 7592 and OpenID Connect DCR 1.0 §2 parameter names, in one place. */
public final class Param {
    public static final String REDIRECT_URIS = "redirect_uris";
    public static final String TOKEN_ENDPOINT_AUTH_METHOD = "token_endpoint_auth_method";
    public static final String GRANT_TYPES = "grant_types";
    public static final String RESPONSE_TYPES = "response_types";
    public static final String CLIENT_NAME = "client_name";
    public static final String CLIENT_URI = "client_uri";
    public static final String LOGO_URI = "logo_uri";
    public static final String SCOPE = "scope";
    public static final String CONTACTS = "contacts";
    public static final String TOS_URI = "tos_uri";
    public static final String POLICY_URI = "policy_uri";
    public static final String JWKS_URI = "jwks_uri";
    public static final String JWKS = "jwks";
    public static final String SOFTWARE_ID = "software_id";
    public static final String SOFTWARE_VERSION = "software_version";
    public static final String SOFTWARE_STATEMENT = "software_statement";
    public static final String APPLICATION_TYPE = "application_type";
    public static final String SECTOR_IDENTIFIER_URI = "sector_identifier_uri";
    public static final String SUBJECT_TYPE = "subject_type";
    public static final String ID_TOKEN_SIGNED_RESPONSE_ALG = "id_token_signed_response_alg";
    public static final String INITIATE_LOGIN_URI = "initiate_login_uri";
    public static final String POST_LOGOUT_REDIRECT_URIS = "post_logout_redirect_uris";
    public static final String TLS_CLIENT_AUTH_SUBJECT_DN = "tls_client_auth_subject_dn";
    public static final String TLS_CLIENT_AUTH_SAN_DNS = "tls_client_auth_san_dns";
    public static final String TLS_CLIENT_AUTH_SAN_URI = "tls_client_auth_san_uri";
    public static final String TLS_CLIENT_AUTH_SAN_IP = "tls_client_auth_san_ip";
    public static final String TLS_CLIENT_AUTH_SAN_EMAIL = "tls_client_auth_san_email";
    public static final String TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS = "tls_client_certificate_bound_access_tokens";
    public static final String TOKEN_ENDPOINT_AUTH_SIGNING_ALG = "token_endpoint_auth_signing_alg";
    /** RFC 9126 §6: the client's authorization requests must be pushed (/par). */
    public static final String REQUIRE_PUSHED_AUTHORIZATION_REQUESTS = "require_pushed_authorization_requests";

    /** Client information (RFC 7591 §3.2.1, RFC 7592 §3): set by the server, never by metadata. */
    public static final String CLIENT_ID = "client_id";
    public static final String CLIENT_SECRET = "client_secret";
    public static final String CLIENT_ID_ISSUED_AT = "client_id_issued_at";
    public static final String CLIENT_SECRET_EXPIRES_AT = "client_secret_expires_at";
    public static final String REGISTRATION_ACCESS_TOKEN = "registration_access_token";
    /** Seconds the registration access token of the same response is good for GET and PUT (the seeds' responses). */
    public static final String REGISTRATION_ACCESS_TOKEN_EXPIRES_IN = "registration_access_token_expires_in";
    public static final String REGISTRATION_CLIENT_URI = "registration_client_uri";
    /** Not an RFC parameter: the user whose login authorised the registration ("user authenticates"). */
    public static final String AUTHENTICATED_USER = "authenticated_user";

    /** Parameters whose values are URLs that must be absolute http(s) URLs (RFC 7591 §2); also their #lang forms. */
    public static final List<String> URL_PARAMS = List.of(LOGO_URI, CLIENT_URI, POLICY_URI, TOS_URI);

    /** The RFC 8705 §2.1.2 subject parameters; tls_client_auth needs exactly one. */
    public static final List<String> TLS_SUBJECT_PARAMS = List.of(TLS_CLIENT_AUTH_SUBJECT_DN, TLS_CLIENT_AUTH_SAN_DNS,
            TLS_CLIENT_AUTH_SAN_URI, TLS_CLIENT_AUTH_SAN_IP, TLS_CLIENT_AUTH_SAN_EMAIL);

    private Param() {
    }
}
