package io.registrar.http;

/**
 * One route a module serves: the method, the path ({@link io.registrar.discovery.Endpoints}) and the
 * action of this package that answers it. Modules declare their routes from the configuration alone,
 * so the server can listen before the database is open and the services exist.
 */
public record Route(Method method, String path, Action action) {

    public enum Method { GET, POST, PUT, DELETE }

    /**
     * What answers a route: one per handler method here. The HTTP server maps each to its handler,
     * exhaustively, so an action cannot be declared without one.
     */
    public enum Action {
        LIVENESS, READINESS,
        SERVER_METADATA, JWKS,
        TOKEN, INTROSPECT, REVOKE,
        AUTHORIZE, PUSHED_AUTHORIZATION_REQUEST, LOGIN, END_SESSION, USERINFO,
        REGISTER,
        READ_CLIENT, UPDATE_CLIENT, DELETE_CLIENT,
        ADMIN_CLIENTS_OF_USER, ADMIN_CLIENT, ADMIN_REVOKE_CLIENT, ADMIN_ENABLE_CLIENT,
        ADMIN_TEMPLATES, ADMIN_TEMPLATE, ADMIN_SAVE_TEMPLATE, ADMIN_BACKUP, ADMIN_PROFILES, ADMIN_EXPLAIN
    }

    public static Route get(String path, Action action) {
        return new Route(Method.GET, path, action);
    }

    public static Route post(String path, Action action) {
        return new Route(Method.POST, path, action);
    }

    public static Route put(String path, Action action) {
        return new Route(Method.PUT, path, action);
    }

    public static Route delete(String path, Action action) {
        return new Route(Method.DELETE, path, action);
    }
}
