package io.registrar.modules;

import io.registrar.config.RegistrarConfig;
import io.registrar.discovery.Endpoints;
import io.registrar.http.Route.Action;
import io.registrar.health.Readiness;
import io.registrar.http.Route;
import io.registrar.store.AssertionReplayStore;
import io.registrar.store.BackupStore;
import io.registrar.store.ClientStore;
import io.registrar.store.FailureStore;
import io.registrar.store.GrantStore;
import io.registrar.store.PushedRequestStore;
import io.registrar.store.ServerStateStore;
import io.registrar.store.TemplateStore;
import io.registrar.store.TokenStore;
import io.registrar.store.UserStore;
import io.registrar.store.jdbc.Database;
import io.registrar.store.jdbc.JdbcAssertionReplayStore;
import io.registrar.store.jdbc.JdbcBackupStore;
import io.registrar.store.jdbc.JdbcClientStore;
import io.registrar.store.jdbc.JdbcFailureStore;
import io.registrar.store.jdbc.JdbcGrantStore;
import io.registrar.store.jdbc.JdbcPushedRequestStore;
import io.registrar.store.jdbc.JdbcServerStateStore;
import io.registrar.store.jdbc.JdbcTemplateStore;
import io.registrar.store.jdbc.JdbcTokenStore;
import io.registrar.store.jdbc.JdbcUserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The database and every store on it (online backups of the embedded one too), and the housekeeping that removes what has expired. */
public record StorageModule(Database database, ServerStateStore state, ClientStore clients, TokenStore tokens, GrantStore grants,
                            UserStore users, TemplateStore templates, AssertionReplayStore replays, BackupStore backups,
                            FailureStore failures, PushedRequestStore pushedRequests) {

    /** Health: liveness answers from the process, readiness from the database (see HealthHandler). */
    public static List<Route> routes() {
        return List.of(Route.get(Endpoints.LIVENESS, Action.LIVENESS), Route.get(Endpoints.READINESS, Action.READINESS));
    }

    private static final Logger log = LoggerFactory.getLogger(StorageModule.class);

    /**
     * Opens and migrates the database on a thread of its own: the listener does not need it, and
     * start-up time is a target. Until the services are bound, requests get 503 temporarily_unavailable.
     */
    public static CompletableFuture<Database> openInBackground(RegistrarConfig.Storage storage) {
        return CompletableFuture.supplyAsync(() -> Database.open(storage),
                task -> Thread.ofVirtual().name("registrar-database-open").start(task));
    }

    /** The database {@code opening} gives, or its failure as thrown by {@link Database#open}. */
    public static Database await(CompletableFuture<Database> opening) {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** After a failed start: the database, once it is open, closed again (a failure to open closed it already). */
    public static void closeWhenOpen(CompletableFuture<Database> opening) {
        Database database = opening.handle((db, failure) -> db).join();
        if (database != null) {
            database.close();
        }
    }

    public static StorageModule on(Database database, RegistrarConfig.Storage storage) {
        return new StorageModule(database, new JdbcServerStateStore(database), new JdbcClientStore(database),
                new JdbcTokenStore(database, storage.asynchronousAccessTokenCommit()), new JdbcGrantStore(database),
                new JdbcUserStore(database), new JdbcTemplateStore(database), new JdbcAssertionReplayStore(database),
                new JdbcBackupStore(database, Path.of(storage.dataDir())), new JdbcFailureStore(database),
                new JdbcPushedRequestStore(database));
    }

    /**
     * Readiness from a check of the database every second, on a thread of its own so that slow
     * housekeeping never delays it; a check still waiting after 1.5 s already counts as failed.
     */
    public Readiness startReadiness() {
        return Readiness.start(state::ping, Duration.ofSeconds(1), Duration.ofMillis(1500));
    }

    /**
     * Every ten minutes: access tokens and grants five minutes past expiry (so a token that just expired
     * still reads as expired rather than unknown), spent assertion ids, expired sessions and pushed
     * authorization requests, failure
     * counters whose window (the longest of any throttle's) has closed; and, while a rotation leeway is
     * on, the encrypted answers kept for leeways that have ended.
     */
    public ScheduledExecutorService startHousekeeping(Clock clock, RegistrarConfig config) {
        Duration login = config.login().throttling().window();
        Duration clientSecrets = config.clientAuth().secretThrottling().window();
        Duration failureWindow = login.compareTo(clientSecrets) >= 0 ? login : clientSecrets;
        boolean clientLeeway = !config.management().rotationLeeway().isZero();
        boolean refreshLeeway = !config.tokens().refreshTokenRotationLeeway().isZero();
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
                pushedRequests.deleteExpired(clock.instant());
                users.deleteExpired(clock.instant());
                failures.deleteExpired(clock.instant(), failureWindow);
                if (clientLeeway) {
                    clients.forgetEndedLeeways(clock.instant());
                }
                if (refreshLeeway) {
                    grants.forgetEndedReplays(clock.instant());
                }
            } catch (RuntimeException e) {
                log.warn("housekeeping failed: {}", e.toString());
            }
        }, 1, 10, TimeUnit.MINUTES);
        return housekeeping;
    }
}
