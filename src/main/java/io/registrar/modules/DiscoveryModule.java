package io.registrar.modules;

import io.registrar.config.RegistrarConfig;
import io.registrar.discovery.ServerMetadata;

import java.util.Map;

/** What the server publishes about itself: RFC 8414 / OpenID Connect Discovery metadata and the JWK Set. */
public record DiscoveryModule(Map<String, Object> metadata, Map<String, Object> jwks) {

    public static DiscoveryModule of(RegistrarConfig config, SecurityModule security, Addresses addresses) {
        return new DiscoveryModule(ServerMetadata.build(config, addresses.issuer(), addresses.mtlsBase()), security.keys().publicJwks());
    }
}
