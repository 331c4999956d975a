package io.registrar.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, loaded once by {@link ConfigLoader} from
 * {@code registrar-defaults.yaml} (which documents every key), the operator's file and
 * {@code REGISTRAR_*} environment variables. Immutable; validated before anything starts.
 */
public record RegistrarConfig(
        String issuer,
        Server server,
        Storage storage,
        Security security,
        Outbound outbound,
        ClientAuth clientAuth,
        Tokens tokens,
        Registration registration,
        Management management,
        Login login,
        List<StaticClient> staticClients,
        List<User> users,
        List<Template> templates,
        Plugins plugins) {

    public RegistrarConfig {
        staticClients = staticClients == null ? List.of() : List.copyOf(staticClients);
        users = users == null ? List.of() : List.copyOf(users);
        templates = templates == null ? List.of() : List.copyOf(templates);
        plugins = plugins == null ? new Plugins("") : plugins;
    }

    /**
     * Registration plug-ins (io.registrar.spi): {@code directory} holds their jars; empty: none.
     */
    public record Plugins(String directory) {
        public Plugins {
            directory = directory == null ? "" : directory.trim();
        }
    }

    public record Server(String host, int port, Tls tls, Mtls mtls, long maxRequestBytes, Duration shutdownGrace,
                         List<String> trustedProxies, Connections connections) {
        public Server {
            trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        }
    }

    /**
     * Bounds on client connections, so that slow or numerous connections cannot hold the server.
     * {@code requestTimeout}: from the connection's first byte (or the end of the previous request)
     * to the last byte of the request, TLS handshake included; a connection still sending after that
     * is closed. {@code idleTimeout}: a connection with nothing to read or write is closed. {@code max}:
     * network connections open at once, all listeners together; at the cap the server stops accepting
     * until one closes. {@code maxPerAddress}: connections open at once from one client address (not
     * counting {@code server.trustedProxies}); one more is closed as soon as it is accepted.
     */
    public record Connections(Duration requestTimeout, Duration idleTimeout, int max, int maxPerAddress) {
    }

    /**
     * Client certificates (RFC 8705). {@code port} -1: the main listener asks for one; otherwise a
     * second TLS listener on that port does (0: any free port) and discovery advertises
     * {@code mtls_endpoint_aliases}. {@code trustedIssuers}: PEM files of the roots and intermediates
     * that tls_client_auth chains must lead to. {@code proxyHeader}: the header in which a
     * TLS-terminating proxy forwards the URL-encoded PEM certificate, believed only from
     * {@code server.trustedProxies}; empty: never read.
     */
    public record Mtls(boolean enabled, int port, List<String> trustedIssuers, String proxyHeader) {
        public Mtls {
            trustedIssuers = trustedIssuers == null ? List.of() : List.copyOf(trustedIssuers);
        }

        public boolean separateListener() {
            return enabled && port >= 0;
        }
    }

    /**
     * mode: {@code self-signed} (demo), {@code keystore} (a PKCS12/JKS file), {@code pem} (a PEM
     * certificate chain and private key) or {@code off} (behind a TLS-terminating proxy). The files
     * are read again every {@code reloadInterval} (0: never) and a changed certificate is served
     * without a restart.
     */
    public record Tls(String mode, String keystorePath, String keystorePassword, String keystoreType,
                      String certificatePath, String privateKeyPath, Duration reloadInterval) {
        public Tls {
            // YAML 1.1 reads an unquoted `off` as the boolean false.
            mode = "false".equals(mode) ? "off" : mode;
        }

        public boolean enabled() {
            return !"off".equals(mode);
        }
    }

    /**
     * accessTokenCommit: whether an access token's INSERT waits for the disk — PostgreSQL's WAL flush,
     * H2's sync — ("synchronous") or not ("asynchronous"); see registrar-defaults.yaml for the trade.
     */
    public record Storage(String dataDir, String jdbcUrl, String username, String password, int maxPoolSize,
                          String accessTokenCommit, Duration queryTimeout) {

        public static final List<String> ACCESS_TOKEN_COMMITS = List.of("asynchronous", "synchronous");

        public boolean asynchronousAccessTokenCommit() {
            return "asynchronous".equals(accessTokenCommit);
        }
    }

    /**
     * hashingKey: base64 key of the HMAC that hashes secrets and tokens. secretEncryptionKey: base64
     * AES key that encrypts the secrets of client_secret_jwt clients. Each is generated and kept in the
     * database when empty.
     */
    public record Security(String hashingKey, String secretEncryptionKey) {
    }

    /**
     * The one HTTP client for every URL the server fetches (jwks_uri). Private and loopback addresses
     * are refused unless {@code allowPrivateAddresses}; link-local and cloud metadata addresses always,
     * unless listed; {@code allowedAddresses} / {@code deniedAddresses} (CIDR) decide first, the most
     * specific entry winning. http only with {@code allowHttp}. {@code trustStore}: a PEM bundle of CAs
     * for https, added to the JDK's ({@code trustStoreMode} add) or instead of them (replace).
     */
    public record Outbound(Duration connectTimeout, Duration readTimeout, int maxResponseBytes, boolean allowHttp,
                           boolean allowPrivateAddresses, List<String> allowedAddresses, List<String> deniedAddresses,
                           String trustStore, String trustStoreMode, Duration jwksCacheLifetime, Duration jwksRefetchFloor) {
        public Outbound {
            allowedAddresses = allowedAddresses == null ? List.of() : List.copyOf(allowedAddresses);
            deniedAddresses = deniedAddresses == null ? List.of() : List.copyOf(deniedAddresses);
        }
    }

    /**
     * Client authentication: for JWT client assertions (RFC 7523) how far ahead exp may be and the clock
     * skew tolerated; {@code secretThrottling} holds back guessing of client secrets (client_secret_basic,
     * client_secret_post, client_secret_jwt), per client id.
     */
    public record ClientAuth(Duration maxAssertionLifetime, Duration clockSkew, Throttling secretThrottling) {
    }

    /**
     * Throttling of online guessing of a secret (a user's password, a client's secret), counted in the
     * database per subject (account or client id) and source address, per address, and per subject:
     * <ul>
     *   <li>from one address for one subject, {@code freeFailures} failures, then each attempt waits a delay
     *       since the last failure that starts at {@code firstDelay} and doubles up to {@code maxDelay};</li>
     *   <li>from one address across all subjects, {@code freeFailuresPerAddress} failures, then the same delays;</li>
     *   <li>per subject across all addresses, {@code maxFailuresPerWindow} failures in a {@code window}: after that
     *       only addresses with no failure for the subject may still try.</li>
     * </ul>
     * An attempt that must wait is refused before the secret is checked, so it is no guess. Counts start
     * over {@code window} after a counter's first failure.
     */
    public record Throttling(int freeFailures, Duration firstDelay, Duration maxDelay, int freeFailuresPerAddress,
                             int maxFailuresPerWindow, Duration window) {
    }

    /**
     * Token lifetimes. {@code refreshTokenRotationLeeway}: how long a rotated refresh token still gets
     * its rotation's answer again, until the new one is used (zero: its reuse revokes the grant at once).
     */
    public record Tokens(Duration accessTokenLifetime, Duration initialTokenLifetime, Duration refreshTokenLifetime,
                         Duration idTokenLifetime, Duration authorizationCodeLifetime, Duration refreshTokenRotationLeeway) {
    }

    /**
     * The login page and single sign-on. A session lives {@code sessionLifetime} from the password
     * entry; {@code throttling} holds back password guessing per account (see {@link Throttling}).
     */
    public record Login(Duration sessionLifetime, Throttling throttling) {
    }

    /** A user created at start-up when no user of that name exists (the demo user). */
    public record User(String username, String password, String name, String email) {
    }

    /**
     * A template client (templatized DCR): a registration whose software_id names {@code id} gets these
     * settings, and keeps following them when the template changes.
     */
    public record Template(String id, String clientName, String applicationType, List<String> redirectUris,
                           List<String> postLogoutRedirectUris, List<String> scopes, List<String> grantTypes,
                           String authMethod, String idTokenSignedResponseAlg, Duration accessTokenLifetime,
                           Duration refreshTokenLifetime) {
        public Template {
            redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
            postLogoutRedirectUris = postLogoutRedirectUris == null ? List.of() : List.copyOf(postLogoutRedirectUris);
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            grantTypes = grantTypes == null ? List.of() : List.copyOf(grantTypes);
        }
    }

    /**
     * RFC 7591 registration. {@code initialTokenUses} is how many registrations one {@code dcr}
     * token allows; 0 means any number until the token expires.
     */
    public record Registration(boolean enabled, List<String> authorization, int initialTokenUses,
                               List<String> allowedScopes, List<String> authMethods,
                               boolean allowHttpLocalhostRedirects, Duration clientSecretLifetime,
                               Overrides overrides, boolean softwareIdSelectsTemplate,
                               String defaultScope,
                               List<Map<String, Object>> rules) {
        public Registration {
            // The declarative rules, as written; io.registrar.rules.RuleSet reads and checks them.
            rules = rules == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(rules));
            authorization = authorization == null ? List.of() : List.copyOf(authorization);
            allowedScopes = allowedScopes == null ? List.of() : List.copyOf(allowedScopes);
            authMethods = authMethods == null ? List.of() : List.copyOf(authMethods);
            defaultScope = defaultScope == null ? "" : defaultScope.trim();
        }

        /** defaultScope as scope tokens (RFC 6749 §3.3: space-delimited); empty when blank. */
        public List<String> defaultScopes() {
            return defaultScope.isEmpty() ? List.of() : List.of(defaultScope.split(" +"));
        }
    }

    /** Values policy forces over whatever the request said; empty means "leave as requested". */
    public record Overrides(String tokenEndpointAuthMethod, String idTokenSignedResponseAlg) {
    }

    /**
     * RFC 7592 management. {@code rotate=false} is the "reuse" switch. A registration access
     * token is good for GET/PUT/DELETE for {@code tokenLifetime} and for DELETE alone until
     * {@code deleteTokenLifetime}, so an app that has not run for months can still deregister.
     * {@code rotationLeeway}: how long the token a rotation replaced still gets that rotation's answer
     * again, until the new one is used (zero: dead at once).
     */
    public record Management(boolean enabled, boolean rotate, Duration tokenLifetime, Duration deleteTokenLifetime,
                             Duration rotationLeeway) {
    }

    /**
     * The DCR tokens (scope dcr) one initial or registration client obtains: how many registrations each
     * allows ({@code uses}; 0: any number until it expires), its {@code lifetime}, and the
     * {@code templates} its registrations are made from (empty: any, or none, as software_id says).
     * Null: the server-wide registration.initialTokenUses / tokens.initialTokenLifetime.
     */
    public record DcrToken(Integer uses, Duration lifetime, List<String> templates) {
        public DcrToken {
            templates = templates == null ? List.of() : List.copyOf(templates);
        }
    }

    /**
     * A statically configured client: scope {@code dcr} makes it an initial client, {@code dcrm} an
     * admin client. The key and certificate fields mirror the RFC 7591 / RFC 8705 metadata of the same
     * meaning; {@code certificateIssuerDn} additionally pins the issuer of its client certificate.
     */
    public record StaticClient(String clientId, String clientSecret, String authMethod, List<String> scopes,
                               List<String> grantTypes, Map<String, Object> jwks, String jwksUri,
                               String tlsClientAuthSubjectDn, String tlsClientAuthSanDns, String tlsClientAuthSanUri,
                               String tlsClientAuthSanIp, String tlsClientAuthSanEmail, String certificateIssuerDn,
                               Boolean certificateBoundAccessTokens, String applicationType, List<String> redirectUris,
                               List<String> postLogoutRedirectUris, DcrToken dcrToken) {
        public StaticClient {
            dcrToken = dcrToken == null ? new DcrToken(null, null, null) : dcrToken;
            certificateBoundAccessTokens = Boolean.TRUE.equals(certificateBoundAccessTokens);
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            grantTypes = grantTypes == null ? List.of("client_credentials") : List.copyOf(grantTypes);
            redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
            postLogoutRedirectUris = postLogoutRedirectUris == null ? List.of() : List.copyOf(postLogoutRedirectUris);
        }
    }
}
