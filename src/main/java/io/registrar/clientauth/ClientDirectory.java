package io.registrar.clientauth;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.Secrets;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.Param;
import io.registrar.store.ClientStore;
import io.registrar.store.DynamicClient;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every client the server knows, by client_id: the configured static clients and the dynamic ones in
 * the store (one query each, a template already resolved), in the same {@link RegisteredClient} terms.
 */
public final class ClientDirectory {

    private final Map<String, RegisteredClient> staticClients;
    private final ClientStore clients;

    public ClientDirectory(RegistrarConfig config, ClientStore clients, Secrets secrets) {
        this.clients = clients;
        this.staticClients = config.staticClients().stream().collect(Collectors.toUnmodifiableMap(
                RegistrarConfig.StaticClient::clientId, c -> staticClient(c, secrets)));
    }

    /** The client, active or not; empty when unknown. */
    public Optional<RegisteredClient> find(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 255) {
            return Optional.empty();
        }
        RegisteredClient s = staticClients.get(clientId);
        if (s != null) {
            return Optional.of(s);
        }
        return clients.find(clientId).map(ClientDirectory::dynamicClient);
    }

    /** The client when it exists and is active (not revoked); what every flow but management wants. */
    public Optional<RegisteredClient> findActive(String clientId) {
        return find(clientId).filter(RegisteredClient::active);
    }

    private static RegisteredClient dynamicClient(DynamicClient c) {
        return new RegisteredClient(c.clientId(), true, c.active(), c.metadata(), c.secretHash(), null,
                c.secretEncrypted(), c.secretExpiresAt(), null, c.authenticatedUser(),
                c.template() == null ? null : c.template().accessTokenLifetime(),
                c.template() == null ? null : c.template().refreshTokenLifetime());
    }

    /** A configured client in the same RFC 7591 / RFC 8705 terms as a registered one. */
    public static ClientMetadata staticMetadata(RegistrarConfig.StaticClient c) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(Param.TOKEN_ENDPOINT_AUTH_METHOD, c.authMethod());
        doc.put(Param.SCOPE, String.join(" ", c.scopes()));
        doc.put(Param.GRANT_TYPES, c.grantTypes());
        doc.put(Param.RESPONSE_TYPES, c.grantTypes().contains("authorization_code") ? java.util.List.of("code") : java.util.List.of());
        doc.put(Param.APPLICATION_TYPE, c.applicationType() == null ? "web" : c.applicationType());
        if (!c.redirectUris().isEmpty()) {
            doc.put(Param.REDIRECT_URIS, c.redirectUris());
        }
        if (!c.postLogoutRedirectUris().isEmpty()) {
            doc.put(Param.POST_LOGOUT_REDIRECT_URIS, c.postLogoutRedirectUris());
        }
        putIfSet(doc, Param.JWKS, c.jwks());
        putIfSet(doc, Param.JWKS_URI, c.jwksUri());
        putIfSet(doc, Param.TLS_CLIENT_AUTH_SUBJECT_DN, c.tlsClientAuthSubjectDn());
        putIfSet(doc, Param.TLS_CLIENT_AUTH_SAN_DNS, c.tlsClientAuthSanDns());
        putIfSet(doc, Param.TLS_CLIENT_AUTH_SAN_URI, c.tlsClientAuthSanUri());
        putIfSet(doc, Param.TLS_CLIENT_AUTH_SAN_IP, c.tlsClientAuthSanIp());
        putIfSet(doc, Param.TLS_CLIENT_AUTH_SAN_EMAIL, c.tlsClientAuthSanEmail());
        doc.put(Param.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS, c.certificateBoundAccessTokens());
        return new ClientMetadata(doc);
    }

    private static RegisteredClient staticClient(RegistrarConfig.StaticClient c, Secrets secrets) {
        String secret = c.clientSecret() == null || c.clientSecret().isEmpty() ? null : c.clientSecret();
        return new RegisteredClient(c.clientId(), false, true, staticMetadata(c),
                secret == null ? null : secrets.hash(secret), secret, null, null,
                c.certificateIssuerDn() == null || c.certificateIssuerDn().isBlank() ? null : c.certificateIssuerDn(),
                null, null, null);
    }

    private static void putIfSet(Map<String, Object> doc, String param, Object value) {
        if (value != null && !(value instanceof String s && s.isBlank())) {
            doc.put(param, value);
        }
    }
}
