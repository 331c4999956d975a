package io.registrar.modules;

import io.registrar.config.RegistrarConfig;
import io.registrar.oauth.Vocabulary;
import io.registrar.discovery.Endpoints;
import io.registrar.discovery.ServerMetadata;
import io.registrar.http.Route.Action;
import io.registrar.http.Route;

import java.util.List;
import java.util.Map;

/** What the server publishes about itself: RFC 8414 / OpenID Connect Discovery metadata and the JWK Set. */
public record DiscoveryModule(Map<String, Object> metadata, Map<String, Object> jwks) {

    /** RFC 8414 §3 and OpenID Connect Discovery 1.0 §4: both well-known documents, and the JWKS they name. */
    public static List<Route> routes() {
        return List.of(Route.get(Endpoints.OPENID_CONFIGURATION, Action.SERVER_METADATA),
                Route.get(Endpoints.OAUTH_SERVER_METADATA, Action.SERVER_METADATA),
                Route.get(Endpoints.JWKS, Action.JWKS));
    }

    public static DiscoveryModule of(RegistrarConfig config, Vocabulary vocabulary, SecurityModule security, Addresses addresses) {
        return new DiscoveryModule(ServerMetadata.build(config, vocabulary, addresses.issuer(), addresses.mtlsBase()),
                security.keys().publicJwks());
    }
}
