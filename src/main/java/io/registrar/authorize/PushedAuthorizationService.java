package io.registrar.authorize;

import io.registrar.clientauth.AuthenticatedClient;
import io.registrar.clientauth.ClientAuthenticator;
import io.registrar.clientauth.ClientCredentials;
import io.registrar.crypto.Secrets;
import io.registrar.oauth.OAuthException;
import io.registrar.store.PushedRequest;
import io.registrar.store.PushedRequestStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pushed authorization request endpoint (RFC 9126 §2): the client authenticates as at the token
 * endpoint, its authorization request is checked by the authorization endpoint's own rules, and it is
 * kept, by the hash of a fresh request_uri, for /authorize to use once.
 */
public final class PushedAuthorizationService {

    /** Client authentication parameters (RFC 6749 §2.3.1, RFC 7521 §4.2): not part of the authorization request. */
    private static final Set<String> CLIENT_AUTHENTICATION = Set.of("client_secret", "client_assertion", "client_assertion_type");

    private final ClientAuthenticator authenticator;
    private final AuthorizationService authorization;
    private final PushedRequestStore pushedRequests;
    private final Secrets secrets;
    private final Clock clock;
    private final Duration lifetime;
    private final Set<String> assertionAudiences;

    /** @param assertionAudiences what a client assertion's aud may name: RFC 9126 §2 adds this endpoint's URL */
    public PushedAuthorizationService(ClientAuthenticator authenticator, AuthorizationService authorization,
                                      PushedRequestStore pushedRequests, Secrets secrets, Clock clock, Duration lifetime,
                                      Set<String> assertionAudiences) {
        this.authenticator = authenticator;
        this.authorization = authorization;
        this.pushedRequests = pushedRequests;
        this.secrets = secrets;
        this.clock = clock;
        this.lifetime = lifetime;
        this.assertionAudiences = Set.copyOf(assertionAudiences);
    }

    /** RFC 9126 §2.2: request_uri and expires_in; or an OAuthException with §2.3's error. */
    public Map<String, Object> push(ClientCredentials credentials, Map<String, String> form) {
        AuthenticatedClient client = authenticator.authenticate(credentials, assertionAudiences);
        if (form.containsKey("request_uri")) {
            // §2.1: "The request_uri authorization request parameter is one exception, and it MUST NOT be provided."
            throw OAuthException.invalidRequest("request_uri must not be pushed (RFC 9126 §2.1)");
        }
        String clientId = form.get("client_id");
        if (clientId != null && !clientId.equals(client.clientId())) {
            throw OAuthException.invalidRequest("client_id differs from the authenticated client");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        form.forEach((name, value) -> {
            if (!CLIENT_AUTHENTICATION.contains(name)) {
                parameters.put(name, value);
            }
        });
        // §2.1: client_id is required in the pushed request as in any authorization request; a client
        // that authenticated by Basic has named itself already.
        parameters.put("client_id", client.clientId());
        Map<String, List<String>> params = new LinkedHashMap<>();
        parameters.forEach((name, value) -> params.put(name, List.of(value)));
        switch (authorization.rules().check(client.client(), params)) {
            case AuthorizationRequestRules.Unredirectable u -> throw OAuthException.invalidRequest(u.message());
            case AuthorizationRequestRules.Refused r -> throw OAuthException.of(r.error(), r.description());
            case AuthorizationRequestRules.Valid v -> {
                // valid as at /authorize
            }
        }
        String token = secrets.newToken();
        Instant now = clock.instant();
        pushedRequests.insert(new PushedRequest(secrets.tokenHash(token), client.clientId(), parameters, now.plus(lifetime)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("request_uri", AuthorizationService.REQUEST_URI_PREFIX + token);
        out.put("expires_in", lifetime.toSeconds());
        return out;
    }
}
