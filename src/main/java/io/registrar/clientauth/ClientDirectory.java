package io.registrar.clientauth;

import io.registrar.profile.Profiles;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.Secrets;
import io.registrar.metadata.ConfiguredMetadata;
import io.registrar.store.ClientStore;
import io.registrar.store.DynamicClient;

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

    /**
     * The templates registrations with {@code clientId}'s DCR tokens are made from; empty when that
     * client names none (any template, or none, as software_id says).
     */
    public java.util.List<String> dcrTemplates(String clientId) {
        RegisteredClient s = clientId == null ? null : staticClients.get(clientId);
        return s == null ? java.util.List.of() : s.dcrToken().templates();
    }

    /** The client when it exists and is active (not revoked); what every flow but management wants. */
    public Optional<RegisteredClient> findActive(String clientId) {
        return find(clientId).filter(RegisteredClient::active);
    }

    private static RegisteredClient dynamicClient(DynamicClient c) {
        return new RegisteredClient(c.clientId(), true, c.active(), c.metadata(), c.secretHash(), null,
                c.secretEncrypted(), c.secretExpiresAt(), null, c.authenticatedUser(),
                c.template() == null ? null : c.template().accessTokenLifetime(),
                c.template() == null ? null : c.template().refreshTokenLifetime(), null,
                c.origin().profile() != null && Profiles.builtIn().find(c.origin().profile()).map(p -> p.clients().requirePkce()).orElse(false));
    }

    private static RegisteredClient staticClient(RegistrarConfig.StaticClient c, Secrets secrets) {
        String secret = c.clientSecret() == null || c.clientSecret().isEmpty() ? null : c.clientSecret();
        return new RegisteredClient(c.clientId(), false, true, ConfiguredMetadata.of(c),
                secret == null ? null : secrets.hash(secret), secret, null, null,
                c.certificateIssuerDn() == null || c.certificateIssuerDn().isBlank() ? null : c.certificateIssuerDn(),
                null, null, null, new DcrTokenSettings(c.dcrToken().uses(), c.dcrToken().lifetime(), c.dcrToken().templates()), false);
    }
}
