package io.registrar;

import io.registrar.admin.AdminService;
import io.registrar.authorize.AuthorizationService;
import io.registrar.authorize.EndSessionService;
import io.registrar.clientauth.AuthMethods;
import io.registrar.clientauth.ClientDirectory;
import io.registrar.crypto.PasswordHasher;
import io.registrar.login.CsrfTokens;
import io.registrar.login.LoginService;
import io.registrar.metadata.MetadataJson;
import io.registrar.metadata.ConfiguredMetadata;
import io.registrar.oauth.OAuthException;
import io.registrar.registration.Registrant;
import io.registrar.store.GrantStore;
import io.registrar.store.TemplateStore;
import io.registrar.store.UserStore;
import io.registrar.store.jdbc.JdbcGrantStore;
import io.registrar.store.jdbc.JdbcTemplateStore;
import io.registrar.store.jdbc.JdbcUserStore;
import io.registrar.token.IdTokens;
import io.registrar.token.TokenPolicy;
import io.registrar.token.UserInfoService;
import io.registrar.clientauth.ClientAuthenticator;
import io.registrar.clientauth.ClientCertificate;
import io.registrar.crypto.SecretBox;
import io.registrar.outbound.OutboundException;
import io.registrar.outbound.OutboundHttp;
import io.registrar.store.AssertionReplayStore;
import io.registrar.store.jdbc.JdbcAssertionReplayStore;
import java.security.cert.X509Certificate;
import io.registrar.config.ConfigException;
import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.KeyRing;
import io.registrar.crypto.Secrets;
import io.registrar.crypto.SelfSignedCertificate;
import io.registrar.discovery.Endpoints;
import io.registrar.discovery.ServerMetadata;
import io.registrar.http.Api;
import io.registrar.http.HttpServer;
import io.registrar.management.ManagementService;
import io.registrar.metadata.MetadataValidator;
import io.registrar.policy.DefaultsPolicy;
import io.registrar.policy.OverridesPolicy;
import io.registrar.policy.PolicyChain;
import io.registrar.registration.CredentialIssuer;
import io.registrar.registration.RegistrationService;
import io.registrar.store.ServerStateStore;
import io.registrar.store.TokenStore;
import io.registrar.store.jdbc.Database;
import io.registrar.store.jdbc.JdbcClientStore;
import io.registrar.store.jdbc.JdbcServerStateStore;
import io.registrar.store.jdbc.JdbcTokenStore;
import io.registrar.token.AccessTokens;
import io.registrar.token.TokenService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Composition root: load configuration, open the database, build the components, start HTTP.
 * No logic of its own.
 */
public final class Registrar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    private final Database database;
    private final HttpServer http;
    private final OutboundHttp outbound;
    private final ScheduledExecutorService housekeeping;
    private final String issuer;

    private Registrar(Database database, HttpServer http, OutboundHttp outbound, ScheduledExecutorService housekeeping,
                      String issuer) {
        this.database = database;
        this.http = http;
        this.outbound = outbound;
        this.housekeeping = housekeeping;
        this.issuer = issuer;
    }

    public static Registrar start(RegistrarConfig config) {
        Clock clock = Clock.systemUTC();
        Path dataDir = Path.of(config.storage().dataDir());
        long t0 = System.nanoTime();
        // The listener does not need the database: open and migrate it while Jetty starts (start-up
        // time is a target). Until the services are bound, requests get 503 temporarily_unavailable.
        CompletableFuture<Database> opening = CompletableFuture.supplyAsync(() -> Database.open(config.storage()),
                task -> Thread.ofVirtual().name("registrar-database-open").start(task));
        HttpServer http = null;
        Database database = null;
        OutboundHttp outbound = null;
        try {
            Path keystore = null;
            char[] keystorePassword = null;
            RegistrarConfig.Tls tls = config.server().tls();
            // The separate mTLS listener needs a server certificate even when the main listener is plain.
            boolean selfSigned = "self-signed".equals(tls.mode())
                    || (!tls.enabled() && config.server().mtls().separateListener() && !notBlank(tls.keystorePath()));
            if (selfSigned) {
                keystorePassword = selfSignedPassword(dataDir);
                keystore = SelfSignedCertificate.ensure(dataDir.resolve("tls-self-signed.p12"), keystorePassword);
            } else if (notBlank(tls.keystorePath())) {
                keystore = Path.of(tls.keystorePath());
                keystorePassword = String.valueOf(tls.keystorePassword()).toCharArray();
            }
            List<X509Certificate> trustedIssuers = trustedIssuers(config.server().mtls());
            http = HttpServer.start(config, keystore, keystorePassword);
            log.debug("listening at {} ms", (System.nanoTime() - t0) / 1_000_000);
            database = join(opening);
            log.debug("database open and migrated at {} ms", (System.nanoTime() - t0) / 1_000_000);

            ServerStateStore state = new JdbcServerStateStore(database);
            RegistrarConfig.Security security = config.security();
            Secrets secrets = new Secrets(key(security == null ? null : security.hashingKey(), state, "hashing-key"));
            SecretBox secretBox = new SecretBox(key(security == null ? null : security.secretEncryptionKey(), state,
                    "secret-encryption-key"));
            KeyRing keys = KeyRing.load(state::getOrCreate);
            String issuer = notBlank(config.issuer()) ? stripSlash(config.issuer())
                    : http.scheme() + "://localhost:" + http.port();
            // RFC 8705 §5: the separate mTLS listener serves the same endpoints under the issuer's host.
            String mtlsBase = http.mtlsPort() < 0 ? null : "https://" + java.net.URI.create(issuer).getHost() + ":" + http.mtlsPort();
            Set<String> assertionAudiences = new java.util.HashSet<>();
            for (String base : java.util.Arrays.asList(issuer, mtlsBase)) {
                if (base != null) {
                    assertionAudiences.addAll(List.of(base + Endpoints.TOKEN, base + Endpoints.INTROSPECTION, base + Endpoints.REVOCATION));
                }
            }
            assertionAudiences.add(issuer);

            JdbcClientStore clients = new JdbcClientStore(database);
            TokenStore tokens = new JdbcTokenStore(database, config.storage().asynchronousAccessTokenCommit());
            GrantStore grants = new JdbcGrantStore(database);
            UserStore users = new JdbcUserStore(database);
            TemplateStore templateStore = new JdbcTemplateStore(database);
            AccessTokens accessTokens = new AccessTokens(tokens, secrets, clock);
            AssertionReplayStore replays = new JdbcAssertionReplayStore(database);
            outbound = new OutboundHttp(config.outbound());
            OutboundHttp fetcher = outbound;
            ClientDirectory directory = new ClientDirectory(config, clients, secrets);
            ClientAuthenticator authenticator = new ClientAuthenticator(config, directory, replays, secrets, secretBox, outbound,
                    trustedIssuers, clock);
            boolean mtls = config.server().mtls().enabled();
            RegistrarConfig.Registration reg = config.registration();
            RegistrarConfig.Management mgmt = config.management();
            Set<String> authMethods = new java.util.HashSet<>(reg.authMethods());
            authMethods.retainAll(new java.util.HashSet<>(AuthMethods.supported(mtls)));
            if (reg.authMethods().contains("none")) {
                authMethods.add("none");
            }
            MetadataValidator validator = new MetadataValidator(new MetadataValidator.Capabilities(
                    authMethods,
                    Set.copyOf(ServerMetadata.GRANT_TYPES_SUPPORTED),
                    Set.of("code"),
                    Set.copyOf(ServerMetadata.ID_TOKEN_ALGS),
                    Set.copyOf(reg.allowedScopes()),
                    reg.allowHttpLocalhostRedirects(),
                    mtls,
                    uri -> {
                        try {
                            fetcher.checkUrl(uri);
                            return null;
                        } catch (OutboundException e) {
                            return e.getMessage();
                        }
                    }));
            checkStaticRedirectUris(config, validator);
            PolicyChain policies = new PolicyChain(List.of(
                    new DefaultsPolicy(),
                    new OverridesPolicy(reg.overrides() == null ? null : reg.overrides().tokenEndpointAuthMethod(),
                            reg.overrides() == null ? null : reg.overrides().idTokenSignedResponseAlg(),
                            Set.copyOf(reg.allowedScopes()))));
            CredentialIssuer credentials = new CredentialIssuer(secrets, secretBox, reg.clientSecretLifetime(), mgmt.tokenLifetime(),
                    mgmt.deleteTokenLifetime());
            String registrationEndpoint = issuer + Endpoints.REGISTRATION;
            Set<Registrant.Kind> registrationWays = new java.util.HashSet<>();
            reg.authorization().forEach(a -> registrationWays.add(Registrant.Kind.fromDb(a)));
            RegistrationService registration = new RegistrationService(accessTokens, policies, validator, credentials, clients,
                    templateStore, clock, id -> registrationEndpoint + "/" + id, registrationWays, reg.softwareIdSelectsTemplate());
            ManagementService management = new ManagementService(clients, accessTokens, secrets, credentials, policies,
                    validator, clock, mgmt.rotate(), id -> registrationEndpoint + "/" + id);
            RegistrarConfig.Tokens tokenSettings = config.tokens();
            TokenPolicy tokenPolicy = new TokenPolicy(tokenSettings.accessTokenLifetime(), tokenSettings.initialTokenLifetime(),
                    tokenSettings.refreshTokenLifetime(), reg.initialTokenUses(),
                    registrationWays.contains(Registrant.Kind.CLIENT_AUTHENTICATES),
                    registrationWays.contains(Registrant.Kind.USER_AUTHENTICATES));
            IdTokens idTokens = new IdTokens(keys, issuer, tokenSettings.idTokenLifetime());
            TokenService tokenService = new TokenService(authenticator, tokens, grants, accessTokens, secrets, idTokens, clock,
                    tokenPolicy, issuer, assertionAudiences);
            LoginService logins = new LoginService(users, new PasswordHasher(), secrets, clock, config.login());
            logins.ensureUsers(config.users());
            AdminService admin = new AdminService(accessTokens, clients, templateStore, users, validator, clock);
            saveConfiguredTemplates(config, admin);
            AuthorizationService authorization = new AuthorizationService(directory, grants, secrets, clock, issuer,
                    tokenSettings.authorizationCodeLifetime(), tokenPolicy.userAuthenticatesRegistration());
            http.bind(new Api(registration, management, tokenService, authorization,
                    new EndSessionService(directory, idTokens, logins), logins, new CsrfTokens(secrets),
                    new UserInfoService(accessTokens, logins), admin,
                    ServerMetadata.build(config, issuer, mtlsBase), keys.publicJwks(), state::ping));

            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "registrar-housekeeping");
                t.setDaemon(true);
                return t;
            });
            housekeeping.scheduleWithFixedDelay(() -> {
                try {
                    int n = tokens.deleteExpired(clock.instant().minus(Duration.ofMinutes(5)));
                    if (n > 0) {
                        log.info("removed {} expired access tokens", n);
                    }
                    replays.deleteExpired(clock.instant());
                    grants.deleteExpired(clock.instant().minus(Duration.ofMinutes(5)));
                    users.deleteExpired(clock.instant(), config.login().failureWindow());
                } catch (RuntimeException e) {
                    log.warn("housekeeping failed: {}", e.toString());
                }
            }, 1, 10, TimeUnit.MINUTES);
            log.info("Registrar listening on {} (issuer {})", http.scheme() + "://" + config.server().host() + ":" + http.port(), issuer);
            return new Registrar(database, http, outbound, housekeeping, issuer);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            if (outbound != null) {
                outbound.close();
            }
            if (database == null) {
                database = opening.handle((db, failure) -> db).join();
            }
            if (database != null) {
                database.close();
            }
            throw e;
        }
    }

    private static Database join(CompletableFuture<Database> opening) {
        try {
            return opening.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The self-signed key store's password, generated once beside it in the data folder. */
    private static char[] selfSignedPassword(Path dataDir) {
        try {
            Path file = dataDir.resolve("tls-self-signed.password");
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                byte[] b = new byte[16];
                new SecureRandom().nextBytes(b);
                Files.writeString(file, HexFormat.of().formatHex(b), StandardCharsets.US_ASCII);
            }
            return Files.readString(file, StandardCharsets.US_ASCII).trim().toCharArray();
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot write to storage.dataDir " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return http.port();
    }

    /** The separate mTLS listener's port, or -1. */
    public int mtlsPort() {
        return http.mtlsPort();
    }

    public String issuer() {
        return issuer;
    }

    @Override
    public void close() {
        http.drain();
        housekeeping.shutdownNow();
        http.close();
        outbound.close();
        database.close();
    }

    /** Configured templates, validated like registrations and written to the database (a changed file updates them). */
    private static void saveConfiguredTemplates(RegistrarConfig config, AdminService admin) {
        for (int i = 0; i < config.templates().size(); i++) {
            RegistrarConfig.Template t = config.templates().get(i);
            try {
                admin.saveTemplate(t.id(), MetadataJson.parse(ConfiguredMetadata.of(t)), t.accessTokenLifetime(), t.refreshTokenLifetime());
            } catch (OAuthException e) {
                throw new ConfigException("configuration key 'templates[" + i + "]' (" + t.id() + "): " + e.description());
            }
        }
    }

    /** Redirect URIs of static code-flow clients follow the same rules as registered ones. */
    private static void checkStaticRedirectUris(RegistrarConfig config, MetadataValidator validator) {
        for (int i = 0; i < config.staticClients().size(); i++) {
            try {
                validator.redirectUrisMatchApplicationType(ConfiguredMetadata.of(config.staticClients().get(i)));
            } catch (OAuthException e) {
                throw new ConfigException("configuration key 'staticClients[" + i + "].redirectUris': " + e.description());
            }
        }
    }

    /** A configured base64 key, or else the one generated on first start and kept in the database for every node. */
    private static byte[] key(String configured, ServerStateStore state, String name) {
        return Base64.getDecoder().decode(notBlank(configured) ? configured.trim() : state.getOrCreate(name, Secrets::newKey));
    }

    /** The configured trusted issuers for tls_client_auth, read once at start-up. */
    private static List<X509Certificate> trustedIssuers(RegistrarConfig.Mtls mtls) {
        List<X509Certificate> out = new java.util.ArrayList<>();
        for (int i = 0; i < mtls.trustedIssuers().size(); i++) {
            String file = mtls.trustedIssuers().get(i);
            try {
                out.addAll(ClientCertificate.fromPem(Files.readString(Path.of(file))).chain());
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new ConfigException("configuration key 'server.mtls.trustedIssuers[" + i + "]': cannot read certificates from "
                        + file + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
