package io.registrar.clientauth;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.SecretBox;
import io.registrar.crypto.Secrets;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.oauth.Vocabulary;
import io.registrar.outbound.OutboundHttp;
import io.registrar.store.AssertionReplayStore;
import io.registrar.store.FailureStore;
import io.registrar.throttle.GuessThrottle;
import io.registrar.throttle.RecentFailures;
import io.registrar.throttle.SourceAddresses;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Client authentication for static and dynamic clients alike, wherever a client must prove itself
 * (token, introspection, revocation): client_secret_basic and client_secret_post (RFC 6749 §2.3.1),
 * client_secret_jwt and private_key_jwt (RFC 7523, OpenID Connect Core §9), tls_client_auth and
 * self_signed_tls_client_auth (RFC 8705 §2). The method is the one the client registered, not whatever
 * the request happens to carry: a client registered for private_key_jwt cannot fall back to a secret.
 * Failures that would tell whether a client exists get the same answer.
 */
public final class ClientAuthenticator {

    private static final String FAILED = "Client authentication failed";
    /** Clients (and, apart, addresses) whose recent failures one node remembers before it checks every attempt's counters (RecentFailures). */
    private static final int RECENT_CAPACITY = 10_000;

    private final ClientDirectory directory;
    private final Secrets secrets;
    private final SecretBox secretBox;
    private final JwtAssertions assertions;
    private final ClientCertificates certificates;
    private final Clock clock;
    private final Vocabulary vocabulary;
    private final GuessThrottle secretGuesses;
    private final RecentFailures recentSecretFailures;
    private final RecentFailures recentAddressFailures;
    private final int addressFreeFailures;

    public ClientAuthenticator(RegistrarConfig config, Vocabulary vocabulary, ClientDirectory directory, AssertionReplayStore replays,
                               FailureStore failures, Secrets secrets, SecretBox secretBox, OutboundHttp outbound,
                               TrustedIssuers trustedIssuers, Clock clock) {
        this.directory = directory;
        this.secrets = secrets;
        this.secretBox = secretBox;
        this.clock = clock;
        this.vocabulary = vocabulary;
        JwksSource jwks = new JwksSource(new io.registrar.outbound.JwksCache(outbound, config.outbound().jwksRefetchFloor(), clock),
                config.outbound().jwksCacheLifetime());
        this.assertions = new JwtAssertions(vocabulary, jwks, replays, secrets, clock, config.clientAuth().maxAssertionLifetime(),
                config.clientAuth().clockSkew());
        this.certificates = new ClientCertificates(trustedIssuers, jwks);
        RegistrarConfig.Throttling throttling = config.clientAuth().secretThrottling();
        this.secretGuesses = new GuessThrottle("client-secret", throttling, failures, secrets, clock);
        this.recentSecretFailures = new RecentFailures(throttling.window(), RECENT_CAPACITY, clock);
        this.recentAddressFailures = new RecentFailures(throttling.window(), RECENT_CAPACITY, clock);
        this.addressFreeFailures = throttling.freeFailuresPerAddress();
    }

    /**
     * @param audiences what a JWT assertion's aud may name: the issuer, the token endpoint, and the
     *                  endpoint it was presented to (RFC 7523 §3 (3))
     */
    public AuthenticatedClient authenticate(ClientCredentials presented, Set<String> audiences) {
        if (presented == null) {
            throw OAuthException.invalidClient("Client authentication is required", false);
        }
        boolean basic = presented.usedBasic();
        JwtAssertions.Unverified assertion = presented.method() == ClientCredentials.Method.JWT
                ? JwtAssertions.parse(presented) : null;
        String clientId = assertion != null ? assertion.clientId() : presented.clientId();
        if (clientId == null || clientId.isEmpty()) {
            throw OAuthException.invalidClient("Client authentication is required", basic);
        }
        RegisteredClient client = directory.find(clientId).orElse(null);
        if (client == null || !client.active()) {
            // Spend the same work as a real check, so timing does not reveal which client ids exist.
            secrets.matches(String.valueOf(presented.clientSecret()), "");
            throw OAuthException.invalidClient(FAILED, basic);
        }
        if (!vocabulary.authenticatesWith(client.method()) && !"none".equals(client.method())) {
            // A method this deployment does not enable (a static client's, or one a profile removed):
            // the same answer as a wrong credential.
            throw OAuthException.invalidClient(FAILED, basic);
        }
        switch (String.valueOf(client.method())) {
            case "client_secret_basic" -> requireSecret(presented, ClientCredentials.Method.BASIC, client);
            case "client_secret_post" -> requireSecret(presented, ClientCredentials.Method.POST, client);
            case "client_secret_jwt" -> {
                if (assertion == null) {
                    throw OAuthException.invalidClient(FAILED, basic);
                }
                requireUnexpiredSecret(client);
                RegisteredClient withSecret = readable(client);
                // An assertion's HMAC is a guess at the secret like a secret sent in the clear.
                throttled(presented, client, () -> assertions.verify(assertion, withSecret, audiences));
            }
            case "private_key_jwt" -> {
                if (assertion == null) {
                    throw OAuthException.invalidClient(FAILED, basic);
                }
                requireUnexpiredSecret(client);
                assertions.verify(assertion, readable(client), audiences);
            }
            case "tls_client_auth" -> certificates.verifyTlsClientAuth(client, requireCertificate(presented));
            case "self_signed_tls_client_auth" -> certificates.verifySelfSigned(client, requireCertificate(presented));
            case "none" -> {
                if (presented.method() != ClientCredentials.Method.CLIENT_ID) {
                    throw OAuthException.invalidClient(FAILED, basic);
                }
            }
            default -> throw OAuthException.invalidClient(FAILED, basic);
        }
        return new AuthenticatedClient(client, presented.certificate() == null ? null : presented.certificate().thumbprint());
    }

    private void requireSecret(ClientCredentials presented, ClientCredentials.Method expected, RegisteredClient client) {
        throttled(presented, client, () -> {
            if (presented.method() != expected || !secrets.matches(presented.clientSecret(), client.secretHash())) {
                throw OAuthException.invalidClient(FAILED, presented.usedBasic());
            }
        });
        requireUnexpiredSecret(client);
    }

    /**
     * Runs a check of the client's secret under clientAuth.secretThrottling. An attempt for a client
     * this node has seen no recent failure of, from an address it has seen no recent failure from, is
     * checked at once with no database work (the token endpoint's fast path, parallel requests of one
     * client included); a failure counts afterwards. Every other attempt (the client or the address
     * failed lately) is counted first and may be refused, before the secret is checked, with Retry-After.
     */
    private void throttled(ClientCredentials presented, RegisteredClient client, Runnable check) {
        String clientId = client.clientId();
        String address = SourceAddresses.bucket(presented.address());
        // An address goes through the counters only once it failed as often as the address counter lets
        // through free (guessing across many clients): one client's failure must not send its
        // neighbours behind one NAT to the counters, whose race guard holds parallel requests back.
        boolean unchecked = recentAddressFailures.recentFailures(address) < addressFreeFailures
                && !recentSecretFailures.failedRecently(clientId);
        GuessThrottle.Attempt attempt = null;
        if (!unchecked) {
            attempt = secretGuesses.begin(clientId, presented.address());
            if (attempt.refused()) {
                throw OAuthException.invalidClientThrottled("Too many failed authentication attempts for this client; try again in "
                        + attempt.retryAfterSeconds() + " s", presented.usedBasic(), attempt.retryAfterSeconds());
            }
        }
        try {
            check.run();
        } catch (OAuthException e) {
            if (e.error() != OAuthError.SERVER_ERROR) {
                recentSecretFailures.failed(clientId);
                recentAddressFailures.failed(address);
                if (unchecked) {
                    secretGuesses.failedUnchecked(clientId, presented.address());
                }
            }
            throw e;
        }
        if (attempt != null) {
            secretGuesses.succeeded(attempt);
        }
    }

    private void requireUnexpiredSecret(RegisteredClient client) {
        if (client.secretExpiresAt() != null && !clock.instant().isBefore(client.secretExpiresAt())) {
            throw OAuthException.invalidClient("The client secret has expired", false);
        }
    }

    /** RFC 8705 §2: these methods need the certificate of the connection, and client_id to name the client. */
    private static ClientCertificate requireCertificate(ClientCredentials presented) {
        if (presented.method() != ClientCredentials.Method.CLIENT_ID) {
            throw OAuthException.invalidClient(FAILED, presented.usedBasic());
        }
        if (presented.certificate() == null) {
            throw OAuthException.invalidClient("This client authenticates with a TLS client certificate; none was presented", false);
        }
        return presented.certificate();
    }

    /** A dynamic client_secret_jwt client with its secret decrypted for the HMAC check. */
    private RegisteredClient readable(RegisteredClient c) {
        if (c.plainSecret() != null || c.secretEncrypted() == null) {
            return c;
        }
        String secret;
        try {
            secret = secretBox.decrypt(c.secretEncrypted(), c.clientId());
        } catch (IllegalStateException e) {
            throw OAuthException.serverError("client " + c.clientId() + ": " + e.getMessage(), e);
        }
        return new RegisteredClient(c.clientId(), c.dynamic(), c.active(), c.metadata(), c.secretHash(), secret, null,
                c.secretExpiresAt(), c.certificateIssuerDn(), c.authenticatedUser(), c.accessTokenLifetime(), c.refreshTokenLifetime(), c.dcrToken(),
                c.pkceRequired());
    }
}
