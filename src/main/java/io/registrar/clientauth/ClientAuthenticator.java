package io.registrar.clientauth;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.Secrets;
import io.registrar.oauth.OAuthException;
import io.registrar.store.ClientStore;
import io.registrar.store.DynamicClient;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Client authentication (RFC 6749 §2.3) for static and dynamic clients. The method is the one the
 * client registered, not whatever the request happens to carry: a client registered for
 * client_secret_basic cannot authenticate with client_secret_post. Every failure gets the same
 * answer, so the response does not tell whether a client exists.
 */
public final class ClientAuthenticator {

    private static final String FAILED = "Client authentication failed";

    private record StaticEntry(RegistrarConfig.StaticClient config, String secretHash) {
    }

    private final Map<String, StaticEntry> staticClients;
    private final ClientStore clients;
    private final Secrets secrets;
    private final Clock clock;

    public ClientAuthenticator(List<RegistrarConfig.StaticClient> staticClients, ClientStore clients, Secrets secrets, Clock clock) {
        this.secrets = secrets;
        this.staticClients = staticClients.stream().collect(Collectors.toUnmodifiableMap(RegistrarConfig.StaticClient::clientId,
                c -> new StaticEntry(c, secrets.hash(c.clientSecret()))));
        this.clients = clients;
        this.clock = clock;
    }

    public boolean isStatic(String clientId) {
        return staticClients.containsKey(clientId);
    }

    public AuthenticatedClient authenticate(ClientCredentials credentials) {
        boolean basic = credentials != null && credentials.method() == ClientCredentials.Method.BASIC;
        if (credentials == null || credentials.clientId() == null || credentials.clientId().isEmpty()) {
            throw OAuthException.invalidClient("Client authentication is required", false);
        }
        StaticEntry s = staticClients.get(credentials.clientId());
        if (s != null) {
            if (!s.config().authMethod().equals(credentials.method().authMethod())
                    || !secrets.matches(credentials.clientSecret(), s.secretHash())) {
                throw OAuthException.invalidClient(FAILED, basic);
            }
            return new AuthenticatedClient(s.config().clientId(), false, s.config().scopes(), s.config().grantTypes());
        }
        Optional<DynamicClient> found = clients.find(credentials.clientId());
        if (found.isEmpty()) {
            // Spend the same work as a real check, so timing does not reveal which client ids exist.
            secrets.matches(String.valueOf(credentials.clientSecret()), "");
            throw OAuthException.invalidClient(FAILED, basic);
        }
        DynamicClient c = found.get();
        String registered = c.metadata().authMethod();
        boolean ok = c.active()
                && credentials.method().authMethod().equals(registered)
                && (credentials.method() == ClientCredentials.Method.NONE
                    ? c.secretHash() == null
                    : secrets.matches(credentials.clientSecret(), c.secretHash()))
                && (c.secretExpiresAt() == null || clock.instant().isBefore(c.secretExpiresAt()));
        if (!ok) {
            throw OAuthException.invalidClient(FAILED, basic);
        }
        List<String> scopes = Optional.ofNullable(c.metadata().scopes()).orElse(List.of());
        List<String> grants = Optional.ofNullable(c.metadata().grantTypes()).orElse(List.of());
        return new AuthenticatedClient(c.clientId(), true, scopes, grants);
    }

}
