package io.registrar.discovery;

/** Endpoint paths, relative to the issuer. Routes and discovery both read them from here. */
public final class Endpoints {
    public static final String REGISTRATION = "/register";
    public static final String CLIENT_CONFIGURATION = "/register/{client_id}";
    public static final String TOKEN = "/token";
    public static final String INTROSPECTION = "/introspect";
    public static final String REVOCATION = "/revoke";
    public static final String JWKS = "/jwks";
    public static final String AUTHORIZATION = "/authorize";
    /** RFC 9126 §2. */
    public static final String PUSHED_AUTHORIZATION_REQUEST = "/par";
    public static final String LOGIN = "/login";
    public static final String END_SESSION = "/logout";
    public static final String USERINFO = "/userinfo";
    public static final String ADMIN_CLIENTS = "/admin/clients";
    public static final String ADMIN_CLIENT = "/admin/clients/{client_id}";
    public static final String ADMIN_CLIENT_REVOKE = "/admin/clients/{client_id}/revoke";
    public static final String ADMIN_CLIENT_ENABLE = "/admin/clients/{client_id}/enable";
    public static final String ADMIN_TEMPLATES = "/admin/templates";
    public static final String ADMIN_TEMPLATE = "/admin/templates/{template_id}";
    public static final String ADMIN_BACKUP = "/admin/backup";
    public static final String ADMIN_PROFILES = "/admin/profiles";
    public static final String ADMIN_EXPLAIN = "/admin/explain";
    public static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";
    public static final String OAUTH_SERVER_METADATA = "/.well-known/oauth-authorization-server";
    public static final String LIVENESS = "/health/live";
    public static final String READINESS = "/health/ready";

    private Endpoints() {
    }
}
