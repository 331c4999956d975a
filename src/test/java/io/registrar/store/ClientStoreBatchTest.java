package io.registrar.store;

import io.registrar.crypto.CertificateIdentity;

import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.TemplateOverlay;
import io.registrar.store.jdbc.Database;
import io.registrar.store.jdbc.JdbcClientStore;
import io.registrar.store.jdbc.JdbcTemplateStore;
import io.registrar.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Clients registered at once by many requests with a token good for any number of registrations:
 * on PostgreSQL they share one INSERT per batch, on H2 one group commit. Either way every client
 * comes back with every field as it was given (metadata with quotes, commas, braces and non-ASCII
 * text, which travel inside a SQL array on PostgreSQL), and a client that cannot be stored fails only
 * its own registration.
 */
class ClientStoreBatchTest {

    private static final int CLIENTS = 300;
    private static final int DUPLICATE = 17;

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void concurrentRegistrationsStoreEveryFieldAndFailOnlyTheirOwnClient(TestDatabase store) throws Exception {
        // Microseconds: what both databases keep of a timestamp.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

        try (Database db = Database.open(store.newStorage())) {
            JdbcTemplateStore templates = new JdbcTemplateStore(db);
            templates.save(new ClientTemplate("partner-app", new ClientMetadata(Map.of("scope", "api",
                    "grant_types", List.of("client_credentials"))), Duration.ofMinutes(5), null, now));
            ClientTemplate template = templates.find("partner-app").orElseThrow();

            List<DynamicClient> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(client(i, now, i % 10 == 0 ? template : null));
            }
            JdbcClientStore store0 = new JdbcClientStore(db);
            assertTrue(store0.register(clients.get(DUPLICATE), Consumption.NOTHING, now));

            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> registrations = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (DynamicClient c : clients) {
                    registrations.add(pool.submit(() -> {
                        start.await();
                        return store0.register(c, Consumption.NOTHING, now);
                    }));
                }
                start.countDown();
                for (int i = 0; i < CLIENTS; i++) {
                    if (i == DUPLICATE) {
                        Exception e = assertThrows(Exception.class, registrations.get(i)::get);
                        assertInstanceOf(StoreException.class, e.getCause(), "a second client with the same client_id is refused");
                    } else {
                        assertTrue(registrations.get(i).get(), "registered: " + i);
                    }
                }
            }
            for (DynamicClient c : clients) {
                DynamicClient found = store0.find(c.clientId()).orElseGet(() -> fail("not stored: " + c.clientId()));
                assertEquals(c, found);
            }
            assertTrue(store0.find("client-" + CLIENTS).isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void ofConcurrentRotationsWithTheSameTokenExactlyOneWinsPerClient(TestDatabase store) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int clientCount = 40;
        int racers = 4;
        try (Database db = Database.open(store.newStorage())) {
            JdbcClientStore store0 = new JdbcClientStore(db);
            List<DynamicClient> clients = new ArrayList<>();
            for (int i = 0; i < clientCount; i++) {
                DynamicClient c = client(i, now, null);
                clients.add(c);
                assertTrue(store0.register(c, Consumption.NOTHING, now));
            }
            // Per client: racers rotations presenting its current token, and one presenting a stale token.
            CountDownLatch start = new CountDownLatch(1);
            Map<DynamicClient, Future<Boolean>> rotations = new LinkedHashMap<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (DynamicClient c : clients) {
                    for (int r = 0; r <= racers; r++) {
                        Map<String, Object> document = new LinkedHashMap<>(c.metadata().document());
                        document.put("client_name", "rotated by " + r);
                        DynamicClient rotated = c.withCredentials(new ClientMetadata(document), "new-secret-" + r, null, null,
                                c.registrationTokenHash() + "-" + r, now.plus(Duration.ofDays(r + 1)), now.plus(Duration.ofDays(400)),
                                now.plusSeconds(r));
                        String presented = r == racers ? "stale-" + c.registrationTokenHash() : c.registrationTokenHash();
                        rotations.put(rotated, pool.submit(() -> {
                            start.await();
                            return store0.update(rotated, presented);
                        }));
                    }
                }
                start.countDown();
                for (DynamicClient c : clients) {
                    List<DynamicClient> winners = new ArrayList<>();
                    for (var rotation : rotations.entrySet()) {
                        if (rotation.getKey().clientId().equals(c.clientId()) && rotation.getValue().get()) {
                            winners.add(rotation.getKey());
                        }
                    }
                    assertEquals(1, winners.size(), "winners for " + c.clientId());
                    assertTrue(!winners.get(0).registrationTokenHash().endsWith("-" + racers), "a stale token never wins");
                    assertEquals(winners.get(0), store0.find(c.clientId()).orElseThrow(), "the row is the winner's");
                }
            }
        }
    }

    /** Every nullable field both null and set; one client in ten made from the template. */
    private static DynamicClient client(int i, Instant now, ClientTemplate template) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("client_name", "App \"" + i + "\", {with} [brackets], a back\\slash and ' quote");
        document.put("client_name#ja-Jpan-JP", "アプリ " + i);
        document.put("redirect_uris", List.of("https://app" + i + ".example.com/cb", "https://app.example.com/cb?x=1,2"));
        document.put("token_endpoint_auth_method", i % 3 == 0 ? "none" : "client_secret_basic");
        ClientMetadata metadata = new ClientMetadata(document);
        if (template != null) {
            metadata = TemplateOverlay.apply(metadata, template.metadata());
        }
        return new DynamicClient("client-" + i, i % 7 == 0 ? ClientStatus.REVOKED : ClientStatus.ACTIVE, metadata,
                i % 3 == 0 ? null : "secret-hash-" + i, i % 4 == 0 ? "encrypted-" + i : null,
                i % 2 == 0 ? null : now.plus(Duration.ofDays(i)), "token-hash-" + i, now.plus(Duration.ofDays(28)).plusNanos(1_000L * i),
                now.plus(Duration.ofDays(365)), i % 5 == 0 ? null : "initial-client-" + (i % 3), i % 5 == 0 ? "user" : "initial_token",
                i % 5 == 0 ? "user-" + i : null, template == null ? null : template.templateId(), now.minusSeconds(i), now, template,
                i % 6 == 0 ? new RegistrationOrigin(new CertificateIdentity("CN=tpp-" + i, "CN=CA", "x5t-" + i), "jws-" + i,
                        Map.of("org_id", "org-" + i)) : RegistrationOrigin.NONE);
    }
}
