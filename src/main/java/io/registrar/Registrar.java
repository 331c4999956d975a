package io.registrar;

import io.registrar.config.RegistrarConfig;
import io.registrar.health.Readiness;
import io.registrar.http.Api;
import io.registrar.http.HttpServer;
import io.registrar.http.Route;
import io.registrar.oauth.Vocabulary;
import io.registrar.modules.Addresses;
import io.registrar.modules.AdminModule;
import io.registrar.modules.AuthorizeModule;
import io.registrar.modules.ClientAuthModule;
import io.registrar.modules.DiscoveryModule;
import io.registrar.modules.LoginModule;
import io.registrar.modules.ManagementModule;
import io.registrar.modules.RegistrationModule;
import io.registrar.modules.SecurityModule;
import io.registrar.modules.StorageModule;
import io.registrar.modules.TokenModule;
import io.registrar.outbound.OutboundHttp;
import io.registrar.store.jdbc.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * Composition root: start listening on the routes the modules declare, open the database meanwhile,
 * build one module per capability ({@link io.registrar.modules}), and bind their services to the
 * routes. No logic of its own.
 */
public final class Registrar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    private final Database database;
    private final HttpServer http;
    private final OutboundHttp outbound;
    private final ScheduledExecutorService housekeeping;
    private final Readiness readiness;
    private final String issuer;

    private Registrar(Database database, HttpServer http, OutboundHttp outbound, ScheduledExecutorService housekeeping,
                      Readiness readiness, String issuer) {
        this.database = database;
        this.http = http;
        this.outbound = outbound;
        this.housekeeping = housekeeping;
        this.readiness = readiness;
        this.issuer = issuer;
    }

    public static Registrar start(RegistrarConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** {@link #start(RegistrarConfig)} on {@code clock}: tests step time forward instead of waiting (throttling delays). */
    public static Registrar start(RegistrarConfig config, Clock clock) {
        long t0 = System.nanoTime();
        CompletableFuture<Database> opening = StorageModule.openInBackground(config.storage());
        HttpServer http = null;
        OutboundHttp outbound = null;
        Readiness readiness = null;
        try {
            http = HttpServer.start(config, routes(config));
            log.debug("listening at {} ms", (System.nanoTime() - t0) / 1_000_000);
            StorageModule storage = StorageModule.on(StorageModule.await(opening), config.storage());
            log.debug("database open and migrated at {} ms", (System.nanoTime() - t0) / 1_000_000);
            outbound = new OutboundHttp(config.outbound());

            Addresses addresses = Addresses.of(config, http.scheme(), http.port(), http.mtlsPort());
            SecurityModule security = SecurityModule.of(config.security(), storage.state());
            Vocabulary vocabulary = Vocabulary.of(config.server().mtls().enabled(), config.registration().authMethods());
            ClientAuthModule clientAuth = ClientAuthModule.of(config, vocabulary, storage, security, outbound, clock);
            TokenModule tokens = TokenModule.of(config, storage, security, clientAuth, addresses, clock);
            RegistrationModule registration = RegistrationModule.of(config, vocabulary, storage, security, outbound, clientAuth, tokens, addresses,
                    clock);
            ManagementModule management = ManagementModule.of(config, storage, security, registration, tokens, addresses, clock);
            LoginModule login = LoginModule.of(config, storage, security, tokens, clock);
            AdminModule admin = AdminModule.of(config, storage, registration, management, tokens, clock);
            AuthorizeModule authorize = AuthorizeModule.of(config, storage, security, clientAuth, tokens, login, addresses, clock);
            DiscoveryModule discovery = DiscoveryModule.of(config, registration.profileSelector().serverDefault()
                    .map(p -> vocabulary.narrowedTo(p.clients().authMethods(), p.clients().signingAlgs())).orElse(vocabulary), security, addresses);
            readiness = storage.startReadiness();

            http.bind(new Api(registration.service(), management.service(), tokens.service(), authorize.authorization(),
                    authorize.pushedAuthorization(), authorize.endSession(), login.service(), login.csrf(), login.userInfo(), admin.service(),
                    discovery.metadata(), discovery.jwks(), readiness::status));
            ScheduledExecutorService housekeeping = storage.startHousekeeping(clock, config);
            log.info("Registrar listening on {} (issuer {})", http.scheme() + "://" + config.server().host() + ":" + http.port(),
                    addresses.issuer());
            return new Registrar(storage.database(), http, outbound, housekeeping, readiness, addresses.issuer());
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            if (outbound != null) {
                outbound.close();
            }
            if (readiness != null) {
                readiness.close();
            }
            StorageModule.closeWhenOpen(opening);
            throw e;
        }
    }

    /** Every module's routes; each module decides from the configuration which it serves. */
    static List<Route> routes(RegistrarConfig config) {
        return Stream.of(StorageModule.routes(), DiscoveryModule.routes(), TokenModule.routes(), AuthorizeModule.routes(),
                LoginModule.routes(), RegistrationModule.routes(config), ManagementModule.routes(config), AdminModule.routes(config))
                .flatMap(List::stream).toList();
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
        readiness.close();
        http.close();
        outbound.close();
        database.close();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
