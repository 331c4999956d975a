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
        Par par,
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

    /**
     * Pushed authorization requests (RFC 9126). {@code required}: /authorize takes only requests pushed
     * to /par, from every client (a client may also require it for itself, §6); {@code lifetime}: how
     * long a request_uri stays usable (expires_in, §2.2).
     */
    public record Par(boolean required, Duration lifetime) {
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
                               String defaultScope, MutualTlsRegistration mutualTls, SoftwareStatements softwareStatements,
                               List<Map<String, Object>> rules, String profile) {
        public Registration {
            mutualTls = mutualTls == null ? new MutualTlsRegistration(List.of(), List.of()) : mutualTls;
            profile = profile == null ? "" : profile.trim();
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

    /**
     * Registration authorised by mutual TLS alone (the {@code mutual_tls} way): PEM files of the CAs a
     * registering client's certificate must chain to, apart from the token endpoint's trusted issuers.
     */
    public record MutualTlsRegistration(List<String> trustedIssuers, List<IssuerProfile> profiles) {
        public MutualTlsRegistration {
            trustedIssuers = trustedIssuers == null ? List.of() : List.copyOf(trustedIssuers);
            profiles = profiles == null ? List.of() : List.copyOf(profiles);
        }
    }

    /** A security profile attached to registrations by certificates from one issuer (its RFC 4514 DN). */
    public record IssuerProfile(String issuer, String profile) {
    }

    /**
     * Software statements (RFC 7591 §2.3) from trusted {@code directories}, and signed registration
     * requests (application/jwt, UK Open Banking DCR 3.x): per way of authorising ({@code byWay}, keyed
     * by registration.authorization's names) whether each is optional, required or refused. With no
     * directory every statement and signed request is refused, whatever {@code byWay} says.
     */
    public record SoftwareStatements(List<Directory> directories, Map<String, StatementWay> byWay,
                                     Duration signedRequestMaxLifetime) {
        public static final List<String> USES = List.of("optional", "required", "refused");

        public SoftwareStatements {
            directories = directories == null ? List.of() : List.copyOf(directories);
            byWay = byWay == null ? Map.of() : Map.copyOf(byWay);
            signedRequestMaxLifetime = signedRequestMaxLifetime == null ? Duration.ofMinutes(10) : signedRequestMaxLifetime;
        }

        /** The settings of one way; a way not listed gets optional statements and signed requests. */
        public StatementWay way(String way) {
            return byWay.getOrDefault(way, new StatementWay(null, null, null));
        }
    }

    /** One way's use of statements and signed requests (optional, required, refused); requiredOnUpdate: every PUT too. */
    public record StatementWay(String statements, String signedRequests, Boolean requiredOnUpdate) {
        public StatementWay {
            statements = statements == null ? "optional" : statements;
            signedRequests = signedRequests == null ? "optional" : signedRequests;
            requiredOnUpdate = requiredOnUpdate != null && requiredOnUpdate;
        }
    }

    /**
     * A directory whose software statements are trusted (RFC 7591 §2.3): its {@code iss}, its keys by
     * {@code jwksUri} or inline {@code jwks}, what it may sign with, how old {@code iat} may be, the clock
     * skew, the claims a statement must carry, how long its fetched keys are cached, an own
     * {@code trustStore} for its https (only those CAs), the approval rules, software_roles → scopes,
     * whether a client's jwks_uri must be the statement's, and whether every PUT needs a statement.
     * Defaults are filled here: list items get none from the defaults file.
     */
    public record Directory(String issuer, String jwksUri, Map<String, Object> jwks, String jwksFile, List<String> algorithms, Duration maxAge,
                            Duration clockSkew, List<String> requiredClaims, Duration jwksCacheLifetime, String trustStore,
                            Approval approval, Map<String, List<String>> roleScopes, Boolean requireJwksUriFromStatement,
                            Boolean requiredOnUpdate) {
        public Directory {
            requireJwksUriFromStatement = requireJwksUriFromStatement != null && requireJwksUriFromStatement;
            requiredOnUpdate = requiredOnUpdate != null && requiredOnUpdate;
            algorithms = algorithms == null ? List.of("PS256", "ES256") : List.copyOf(algorithms);
            maxAge = maxAge == null ? Duration.ZERO : maxAge;
            clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
            requiredClaims = requiredClaims == null ? List.of() : List.copyOf(requiredClaims);
            jwksCacheLifetime = jwksCacheLifetime == null ? Duration.ofMinutes(5) : jwksCacheLifetime;
            approval = approval == null ? new Approval(null, null, null) : approval;
            roleScopes = roleScopes == null ? Map.of() : Map.copyOf(roleScopes);
        }
    }

    /**
     * A directory's approval rules, all of which a statement must pass: each claim of {@code claimEquals}
     * has exactly that value; each claim of {@code claimContainsAny} (a string or an array) holds at least
     * one of the listed values; software_id is none of {@code deniedSoftwareIds}.
     */
    public record Approval(Map<String, String> claimEquals, Map<String, List<String>> claimContainsAny,
                           List<String> deniedSoftwareIds) {
        public Approval {
            claimEquals = claimEquals == null ? Map.of() : Map.copyOf(claimEquals);
            claimContainsAny = claimContainsAny == null ? Map.of() : Map.copyOf(claimContainsAny);
            deniedSoftwareIds = deniedSoftwareIds == null ? List.of() : List.copyOf(deniedSoftwareIds);
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
     * again, until the new one is used (zero: dead at once). {@code certificateBinding}: off or required
     * (issue 20 §2).
     */
    public record Management(boolean enabled, boolean rotate, Duration tokenLifetime, Duration deleteTokenLifetime,
                             Duration rotationLeeway, String certificateBinding) {
        public Management {
            // YAML 1.1 reads an unquoted off as the boolean false.
            certificateBinding = certificateBinding == null || "false".equals(certificateBinding) ? "off" : certificateBinding;
        }

        /** management.certificateBinding: required binds a registration access token to the certificate it was registered with. */
        public boolean certificateBindingRequired() {
            return "required".equals(certificateBinding);
        }
    }

    /**
     * The DCR tokens (scope dcr) one initial or registration client obtains: how many registrations each
     * allows ({@code uses}; 0: any number until it expires), its {@code lifetime}, and the
     * {@code templates} its registrations are made from (empty: any, or none, as software_id says).
     * Null: the server-wide registration.initialTokenUses / tokens.initialTokenLifetime.
     */
    public record DcrToken(Integer uses, Duration lifetime, List<String> templates, String profile) {
        public DcrToken {
            profile = profile == null ? "" : profile.trim();
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
                               List<String> postLogoutRedirectUris, Boolean requirePushedAuthorizationRequests,
                               DcrToken dcrToken) {
        public StaticClient {
            dcrToken = dcrToken == null ? new DcrToken(null, null, null, null) : dcrToken;
            certificateBoundAccessTokens = Boolean.TRUE.equals(certificateBoundAccessTokens);
            requirePushedAuthorizationRequests = Boolean.TRUE.equals(requirePushedAuthorizationRequests);
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            grantTypes = grantTypes == null ? List.of("client_credentials") : List.copyOf(grantTypes);
            redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
            postLogoutRedirectUris = postLogoutRedirectUris == null ? List.of() : List.copyOf(postLogoutRedirectUris);
        }
    }
}
