package io.registrar.discovery;

/** Endpoint paths, relative to the issuer. Routes and discovery both read them from here. */
public final class Endpoints {
    public static final String REGISTRATION = "/register";
    public static final String CLIENT_CONFIGURATION = "/register/{client_id}";
    public static final String TOKEN = "/token";
    public static final String INTROSPECTION = "/introspect";
    public static final String REVOCATION = "/revoke";
    public static final String JWKS = "/jwks";
    public static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";
    public static final String OAUTH_SERVER_METADATA = "/.well-known/oauth-authorization-server";
    public static final String LIVENESS = "/health/live";
    public static final String READINESS = "/health/ready";

    private Endpoints() {
    }
}
