package io.registrar.store;

import io.registrar.config.RegistrarConfig;
import io.registrar.store.jdbc.Database;
import io.registrar.store.jdbc.JdbcTokenStore;
import io.registrar.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expired tokens are removed in chunks on both stores, and live ones are kept. */
class TokenStoreHousekeepingTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void expiredTokensAreDeletedInChunksAndLiveOnesKept(TestDatabase kind) {
        RegistrarConfig.Storage storage = kind.newStorage();
        try (Database db = Database.open(storage)) {
            JdbcTokenStore tokens = new JdbcTokenStore(db, storage.asynchronousAccessTokenCommit());
            Instant now = Instant.now();
            int expired = 2_500;
            for (int i = 0; i < expired; i++) {
                tokens.insert(new AccessToken("expired-" + i, "c", false, List.of("api"), null, now.minus(Duration.ofHours(2)),
                        now.minus(Duration.ofHours(1)), null, null, true, null));
            }
            tokens.insert(new AccessToken("live", "c", false, List.of("api"), null, now, now.plus(Duration.ofHours(1)), null, null, true, null));

            assertEquals(expired, tokens.deleteExpired(now));
            assertTrue(tokens.find("live").isPresent());
            assertTrue(tokens.find("expired-0").isEmpty());
            assertEquals(0, tokens.deleteExpired(now));
        }
    }
}
