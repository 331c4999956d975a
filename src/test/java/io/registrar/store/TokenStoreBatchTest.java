package io.registrar.store;

import io.registrar.config.RegistrarConfig;
import io.registrar.store.jdbc.Database;
import io.registrar.store.jdbc.JdbcTokenStore;
import io.registrar.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
 * Access tokens inserted at once by many requests: on PostgreSQL they share one INSERT per batch,
 * on H2 one group commit. Either way every token comes back with every field as it was given, and a
 * token that cannot be stored fails only its own request.
 */
class TokenStoreBatchTest {

    private static final int TOKENS = 300;

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void concurrentInsertsStoreEveryFieldAndFailOnlyTheirOwnToken(TestDatabase store) throws Exception {
        // Microseconds: what both databases keep of a timestamp.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<AccessToken> tokens = new ArrayList<>();
        for (int i = 0; i < TOKENS; i++) {
            // Every nullable field both null and set, and scopes of zero, one and two entries.
            tokens.add(new AccessToken("hash-" + i, "client-" + (i % 7), i % 2 == 0, List.of("api", "read").subList(0, i % 3),
                    i % 3 == 0 ? null : "user-" + i, now.minusSeconds(i), now.plus(Duration.ofMinutes(i + 1)).plusNanos(1_000L * i),
                    i % 5 == 0 ? null : i % 4, i % 2 == 1 ? null : "thumb-" + i, true, i % 4 == 0 ? null : "grant-" + i));
        }
        AccessToken duplicate = tokens.get(17);

        RegistrarConfig.Storage storage = store.newStorage();
        try (Database db = Database.open(storage)) {
            JdbcTokenStore store0 = new JdbcTokenStore(db, storage.asynchronousAccessTokenCommit());
            store0.insert(duplicate);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> inserts = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (AccessToken t : tokens) {
                    inserts.add(pool.submit(() -> {
                        start.await();
                        store0.insert(t);
                        return null;
                    }));
                }
                start.countDown();
                for (int i = 0; i < TOKENS; i++) {
                    if (i == 17) {
                        Exception e = assertThrows(Exception.class, inserts.get(i)::get);
                        assertInstanceOf(StoreException.class, e.getCause(), "a second token with the same hash is refused");
                    } else {
                        inserts.get(i).get();
                    }
                }
            }
            for (AccessToken t : tokens) {
                AccessToken found = store0.find(t.tokenHash()).orElseGet(() -> fail("not stored: " + t.tokenHash()));
                // Static clients' tokens (dynamicClient false) are active; dynamic ones here have no client row.
                AccessToken expected = new AccessToken(t.tokenHash(), t.clientId(), t.dynamicClient(), t.scopes(), t.subject(),
                        t.issuedAt(), t.expiresAt(), t.registrationsLeft(), t.certificateThumbprint(), !t.dynamicClient(), t.grantId());
                assertEquals(expected, found);
            }
            assertTrue(store0.find("hash-" + TOKENS).isEmpty());
        }
    }
}
