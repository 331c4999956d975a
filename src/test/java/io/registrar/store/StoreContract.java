package io.registrar.store;

import io.registrar.crypto.CertificateIdentity;

import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.TemplateOverlay;
import io.registrar.store.jdbc.Database;
import io.registrar.store.jdbc.JdbcAssertionReplayStore;
import io.registrar.store.jdbc.JdbcClientStore;
import io.registrar.store.jdbc.JdbcFailureStore;
import io.registrar.store.jdbc.JdbcGrantStore;
import io.registrar.store.jdbc.JdbcPushedRequestStore;
import io.registrar.store.jdbc.JdbcServerStateStore;
import io.registrar.store.jdbc.JdbcTemplateStore;
import io.registrar.store.jdbc.JdbcTokenStore;
import io.registrar.store.jdbc.JdbcUserStore;
import io.registrar.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every store promises, specified once and run against each database by a subclass
 * ({@link StoreContractOnH2Test}, {@link StoreContractOnPostgresTest}). Each test gets a new, empty
 * database. A new store behaviour is written here, so both databases are held to it.
 */
abstract class StoreContract {

    /** Microseconds: what both databases keep of a timestamp. */
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456Z");

    private final TestDatabase database;
    private Database db;
    private ClientStore clients;
    private TokenStore tokens;
    private GrantStore grants;
    private UserStore users;
    private TemplateStore templates;
    private ServerStateStore state;
    private AssertionReplayStore replays;
    private FailureStore failures;
    private PushedRequestStore pushed;

    StoreContract(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void openNewDatabase() {
        db = Database.open(database.newStorage());
        clients = new JdbcClientStore(db);
        tokens = new JdbcTokenStore(db, false);
        grants = new JdbcGrantStore(db);
        users = new JdbcUserStore(db);
        templates = new JdbcTemplateStore(db);
        state = new JdbcServerStateStore(db);
        replays = new JdbcAssertionReplayStore(db);
        failures = new JdbcFailureStore(db);
        pushed = new JdbcPushedRequestStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    // ---- ClientStore

    @Test
    void clientStore_registeredClientIsFoundWithEveryField() {
        DynamicClient withSecret = client("c-secret", "rat-1", null);
        DynamicClient publicClient = new DynamicClient("c-public", ClientStatus.ACTIVE, metadata("Public \"app\" ünïcode"), null,
                null, null, "rat-2", NOW.plus(Duration.ofDays(28)), NOW.plus(Duration.ofDays(365)), null, "user", "user-7", null,
                NOW.minusSeconds(5), NOW, null, new RegistrationOrigin(
                        new CertificateIdentity("CN=tpp,O=Example \\, Ltd", "CN=Directory CA", "x5t-1"), "eyJ.statement.sig",
                        Map.of("org_id", "org-1", "software_roles", List.of("AISP", "PISP"))));
        assertTrue(clients.register(withSecret, Consumption.NOTHING, NOW));
        assertTrue(clients.register(publicClient, Consumption.NOTHING, NOW));

        assertEquals(withSecret, clients.find("c-secret").orElseThrow());
        assertEquals(publicClient, clients.find("c-public").orElseThrow());
        assertTrue(clients.find("c-unknown").isEmpty());
    }

    @Test
    void clientStore_anUpdateWritesTheOrigin() {
        DynamicClient registered = client("c-origin", "rat-1", null);
        assertTrue(clients.register(registered, Consumption.NOTHING, NOW));
        RegistrationOrigin updated = new RegistrationOrigin(new CertificateIdentity("CN=a", "CN=b", "x5t"), "eyJ.s2.sig",
                Map.of("software_version", "2"));
        DynamicClient rotated = registered.withCredentials(registered.metadata(), "secret-2", null, null, "rat-2",
                NOW.plus(Duration.ofDays(28)), NOW.plus(Duration.ofDays(365)), NOW).withOrigin(updated);
        assertTrue(clients.update(rotated, "rat-1"));
        assertEquals(updated, clients.find("c-origin").orElseThrow().origin());
        assertTrue(clients.update(rotated.withOrigin(RegistrationOrigin.NONE), null));
        assertEquals(RegistrationOrigin.NONE, clients.find("c-origin").orElseThrow().origin());
    }

    @Test
    void clientStore_aSoftwareIdKeptUniqueIsRegisteredOnce() {
        RegistrationOrigin cdr = RegistrationOrigin.NONE.withProfile("au-cdr", "software-1");
        DynamicClient first = client("c-cdr-1", "rat-1", null).withOrigin(cdr);
        assertTrue(clients.register(first, Consumption.NOTHING, NOW));
        assertEquals(cdr, clients.find("c-cdr-1").orElseThrow().origin());
        assertThrows(SoftwareIdTaken.class, () -> clients.register(client("c-cdr-2", "rat-2", null).withOrigin(cdr),
                Consumption.NOTHING, NOW));
        assertTrue(clients.find("c-cdr-2").isEmpty(), "nothing stored");
        // Other clients, with no unique software_id or another one, are unaffected.
        assertTrue(clients.register(client("c-cdr-3", "rat-3", null).withOrigin(RegistrationOrigin.NONE.withProfile("au-cdr", "software-2")),
                Consumption.NOTHING, NOW));
        assertTrue(clients.register(client("c-plain-1", "rat-4", null), Consumption.NOTHING, NOW));
        assertTrue(clients.register(client("c-plain-2", "rat-5", null), Consumption.NOTHING, NOW));
        // Concurrent registrations of one software_id: exactly one is stored.
        RegistrationOrigin contested = RegistrationOrigin.NONE.withProfile("au-cdr", "software-3");
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        java.util.stream.IntStream.range(0, 12).parallel().forEach(i -> {
            try {
                if (clients.register(client("c-race-" + i, "rat-race-" + i, null).withOrigin(contested), Consumption.NOTHING, NOW)) {
                    stored.incrementAndGet();
                }
            } catch (SoftwareIdTaken e) {
                refused.incrementAndGet();
            }
        });
        assertEquals(1, stored.get());
        assertEquals(11, refused.get());
    }

    @Test
    void clientStore_aSecondClientWithTheSameIdIsRefused() {
        assertTrue(clients.register(client("c-1", "rat-1", null), Consumption.NOTHING, NOW));
        assertThrows(StoreException.class, () -> clients.register(client("c-1", "rat-2", null), Consumption.NOTHING, NOW));
        assertEquals("rat-1", clients.find("c-1").orElseThrow().registrationTokenHash());
    }

    @Test
    void clientStore_registeringWithADcrTokenTakesOneOfItsRegistrations() {
        tokens.insert(token("dcr-token", "initial", false, 2, NOW.plus(Duration.ofHours(1)), null));

        assertTrue(clients.register(client("c-1", "rat-1", null), new Consumption.DcrTokenUse("dcr-token"), NOW));
        assertEquals(1, tokens.find("dcr-token").orElseThrow().registrationsLeft());
        assertTrue(clients.register(client("c-2", "rat-2", null), new Consumption.DcrTokenUse("dcr-token"), NOW));
        assertEquals(0, tokens.find("dcr-token").orElseThrow().registrationsLeft());

        assertFalse(clients.register(client("c-3", "rat-3", null), new Consumption.DcrTokenUse("dcr-token"), NOW), "the token is used up");
        assertTrue(clients.find("c-3").isEmpty(), "a refused registration stores nothing");
    }

    @Test
    void clientStore_anExpiredOrUnknownDcrTokenRegistersNothing() {
        tokens.insert(token("dcr-expired", "initial", false, 5, NOW.minusSeconds(1), null));

        assertFalse(clients.register(client("c-1", "rat-1", null), new Consumption.DcrTokenUse("dcr-expired"), NOW));
        assertFalse(clients.register(client("c-2", "rat-2", null), new Consumption.DcrTokenUse("dcr-unknown"), NOW));
        assertTrue(clients.find("c-1").isEmpty());
        assertTrue(clients.find("c-2").isEmpty());
        assertEquals(5, tokens.find("dcr-expired").orElseThrow().registrationsLeft());
    }

    @Test
    void clientStore_updateWritesOnlyWhereTheRegistrationTokenIsStillTheExpectedOne() {
        DynamicClient original = client("c-1", "rat-1", null);
        clients.register(original, Consumption.NOTHING, NOW);
        DynamicClient rotated = original.withCredentials(metadata("Renamed"), "secret-2", null, NOW.plus(Duration.ofDays(90)),
                "rat-2", NOW.plus(Duration.ofDays(29)), NOW.plus(Duration.ofDays(366)), NOW.plusSeconds(1));

        assertFalse(clients.update(rotated, "rat-stale"), "another request rotated first");
        assertEquals(original, clients.find("c-1").orElseThrow());

        assertTrue(clients.update(rotated, "rat-1"));
        assertEquals(rotated, clients.find("c-1").orElseThrow());
        assertFalse(clients.update(rotated.withCredentials(metadata("Again"), "secret-3", null, null, "rat-3",
                NOW.plus(Duration.ofDays(29)), NOW.plus(Duration.ofDays(366)), NOW.plusSeconds(2)), "rat-1"),
                "the old token no longer matches");
    }

    @Test
    void clientStore_aRotationKeepsItsLeewayUntilTheNextRotationOrHousekeeping() {
        DynamicClient original = client("c-1", "rat-1", null);
        clients.register(original, Consumption.NOTHING, NOW);
        assertNull(clients.find("c-1").orElseThrow().leeway(), "a registration has no leeway");
        RotationLeeway leeway = new RotationLeeway("rat-1", NOW.plusSeconds(30), "sealed-answer-1");
        DynamicClient rotated = original.withCredentials(original.metadata(), "secret-2", null, null, "rat-2",
                NOW.plus(Duration.ofDays(28)), NOW.plus(Duration.ofDays(365)), NOW.plusSeconds(1)).withLeeway(leeway);

        assertTrue(clients.update(rotated, "rat-1"));
        assertEquals(leeway, clients.find("c-1").orElseThrow().leeway());
        assertEquals(0, clients.forgetEndedLeeways(NOW.plusSeconds(30)), "not ended yet");
        assertEquals(1, clients.forgetEndedLeeways(NOW.plusSeconds(31)));
        DynamicClient forgotten = clients.find("c-1").orElseThrow();
        assertNull(forgotten.leeway());
        assertEquals("rat-2", forgotten.registrationTokenHash(), "only the leeway goes");

        // The new token's rotation writes its own leeway over the last one, in the same UPDATE.
        assertTrue(clients.update(forgotten.withLeeway(leeway), null));
        RotationLeeway next = new RotationLeeway("rat-2", NOW.plusSeconds(60), "sealed-answer-2");
        assertTrue(clients.update(forgotten.withCredentials(forgotten.metadata(), "secret-3", null, null, "rat-3",
                NOW.plus(Duration.ofDays(28)), NOW.plus(Duration.ofDays(365)), NOW.plusSeconds(2)).withLeeway(next), "rat-2"));
        assertEquals(next, clients.find("c-1").orElseThrow().leeway());
    }

    @Test
    void clientStore_theKeptAnswerIsGoneOnceTheNewTokenIsUsedEvenForAStaleRow() {
        DynamicClient original = client("c-1", "rat-1", null);
        clients.register(original, Consumption.NOTHING, NOW);
        RotationLeeway leeway = new RotationLeeway("rat-1", NOW.plusSeconds(30), "sealed-answer-1");
        assertTrue(clients.update(original.withCredentials(original.metadata(), "secret-2", null, null, "rat-2",
                NOW.plus(Duration.ofDays(28)), NOW.plus(Duration.ofDays(365)), NOW.plusSeconds(1)).withLeeway(leeway), "rat-1"));
        DynamicClient stale = clients.find("c-1").orElseThrow();
        assertEquals(Optional.of("sealed-answer-1"), clients.keptAnswer("c-1", "rat-1", NOW.plusSeconds(29)));
        assertEquals(Optional.empty(), clients.keptAnswer("c-1", "rat-1", NOW.plusSeconds(30)), "the leeway has ended");
        assertEquals(Optional.empty(), clients.keptAnswer("c-1", "rat-other", NOW), "not the replaced token");
        assertEquals(Optional.empty(), clients.keptAnswer("c-other", "rat-1", NOW));

        // The new token's first use rotates again, while a request with the previous one holds the stale row.
        assertTrue(clients.update(stale.withCredentials(stale.metadata(), "secret-3", null, null, "rat-3",
                NOW.plus(Duration.ofDays(28)), NOW.plus(Duration.ofDays(365)), NOW.plusSeconds(2))
                .withLeeway(new RotationLeeway("rat-2", NOW.plusSeconds(60), "sealed-answer-2")), "rat-2"));
        assertEquals(leeway, stale.leeway(), "the stale row still shows the leeway");
        assertEquals(Optional.empty(), clients.keptAnswer("c-1", stale.leeway().previousHash(), NOW.plusSeconds(3)));
        assertEquals(Optional.of("sealed-answer-2"), clients.keptAnswer("c-1", "rat-2", NOW.plusSeconds(3)));

        // Nor for a client that is no longer active.
        assertTrue(clients.changeStatus(new StatusChange("c-1", ClientStatus.REVOKED, "admin", null, NOW.plusSeconds(4))));
        assertEquals(Optional.empty(), clients.keptAnswer("c-1", "rat-2", NOW.plusSeconds(5)));
    }

    @Test
    void clientStore_anUnconditionalUpdateAlwaysWrites() {
        DynamicClient original = client("c-1", "rat-1", null);
        clients.register(original, Consumption.NOTHING, NOW);
        DynamicClient changed = original.withCredentials(metadata("Admin edit"), original.secretHash(), null,
                original.secretExpiresAt(), "rat-1", original.registrationTokenExpiresAt(),
                original.registrationTokenDeleteExpiresAt(), NOW.plusSeconds(1));

        assertTrue(clients.update(changed, null));
        assertEquals(changed, clients.find("c-1").orElseThrow());
        assertFalse(clients.update(client("c-unknown", "rat-9", null), null), "no such client");
    }

    @Test
    void clientStore_aTemplatizedClientReadsTheTemplateAsItIsNow() {
        templates.save(new ClientTemplate("partner", new ClientMetadata(Map.of("scope", "api", "grant_types",
                List.of("client_credentials"))), Duration.ofMinutes(5), null, NOW));
        ClientTemplate template = templates.find("partner").orElseThrow();
        clients.register(client("c-1", "rat-1", template), Consumption.NOTHING, NOW);

        DynamicClient found = clients.find("c-1").orElseThrow();
        assertEquals("api", found.metadata().document().get("scope"));
        assertEquals(template, found.template());

        templates.save(new ClientTemplate("partner", new ClientMetadata(Map.of("scope", "api reports", "grant_types",
                List.of("client_credentials"))), Duration.ofMinutes(10), null, NOW.plusSeconds(1)));
        DynamicClient after = clients.find("c-1").orElseThrow();
        assertEquals("api reports", after.metadata().document().get("scope"), "a template change applies at once");
        assertEquals("App c-1", after.metadata().document().get("client_name"), "the client's own values stay");
    }

    @Test
    void clientStore_deleteRemovesTheClientAndEverythingIssuedToIt() {
        clients.register(client("c-1", "rat-1", null), Consumption.NOTHING, NOW);
        tokens.insert(token("at-dynamic", "c-1", true, null, NOW.plus(Duration.ofHours(1)), null));
        tokens.insert(token("at-static", "c-1", false, null, NOW.plus(Duration.ofHours(1)), null));
        grants.issue(token("at-grant", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-1"), refresh("rt-1", "c-1", "grant-1"));

        assertTrue(clients.delete("c-1"));
        assertTrue(clients.find("c-1").isEmpty());
        assertTrue(tokens.find("at-dynamic").isEmpty());
        assertTrue(tokens.find("at-grant").isEmpty());
        assertTrue(grants.findRefreshToken("rt-1").isEmpty());
        assertTrue(tokens.find("at-static").isPresent(), "a static client's token that shares the id is not the deleted client's");
        assertFalse(clients.delete("c-1"), "already gone");
    }

    @Test
    void clientStore_listsAUsersClientsOldestFirst() {
        clients.register(userClient("c-new", "rat-1", "alice", NOW), Consumption.NOTHING, NOW);
        clients.register(userClient("c-old", "rat-2", "alice", NOW.minusSeconds(60)), Consumption.NOTHING, NOW);
        clients.register(userClient("c-bob", "rat-3", "bob", NOW.minusSeconds(120)), Consumption.NOTHING, NOW);
        clients.register(client("c-token", "rat-4", null), Consumption.NOTHING, NOW);

        assertEquals(List.of("c-old", "c-new"), clients.listByUser("alice").stream().map(DynamicClient::clientId).toList());
        assertEquals(List.of("c-bob"), clients.listByUser("bob").stream().map(DynamicClient::clientId).toList());
        assertEquals(List.of(), clients.listByUser("carol"));
    }

    @Test
    void clientStore_statusChangesAreAppliedAndAudited() {
        clients.register(client("c-1", "rat-1", null), Consumption.NOTHING, NOW);
        StatusChange revoke = new StatusChange("c-1", ClientStatus.REVOKED, "admin", "leaked secret", NOW.plusSeconds(1));
        StatusChange enable = new StatusChange("c-1", ClientStatus.ACTIVE, "admin", null, NOW.plusSeconds(2));

        assertTrue(clients.changeStatus(revoke));
        assertEquals(ClientStatus.REVOKED, clients.find("c-1").orElseThrow().status());
        assertTrue(clients.changeStatus(enable));
        assertEquals(ClientStatus.ACTIVE, clients.find("c-1").orElseThrow().status());
        assertEquals(List.of(revoke, enable), clients.statusHistory("c-1"));

        assertFalse(clients.changeStatus(new StatusChange("c-unknown", ClientStatus.REVOKED, "admin", null, NOW)));
        assertEquals(List.of(), clients.statusHistory("c-unknown"), "nothing is audited for a client that does not exist");
    }

    // ---- TokenStore

    @Test
    void tokenStore_insertedTokenIsFoundWithEveryField() {
        AccessToken full = new AccessToken("at-1", "c-1", true, List.of("api", "reports"), "user-1", NOW,
                NOW.plus(Duration.ofHours(1)), null, "x5t-thumbprint", true, "grant-1");
        AccessToken dcr = token("at-2", "initial", false, 3, NOW.plus(Duration.ofMinutes(5)), null);
        clients.register(client("c-1", "rat-1", null), Consumption.NOTHING, NOW);
        tokens.insert(full);
        tokens.insert(dcr);

        assertEquals(full, tokens.find("at-1").orElseThrow());
        assertEquals(dcr, tokens.find("at-2").orElseThrow());
        assertTrue(tokens.find("at-unknown").isEmpty());
    }

    @Test
    void tokenStore_aSecondTokenWithTheSameHashIsRefused() {
        tokens.insert(token("at-1", "initial", false, null, NOW.plus(Duration.ofHours(1)), null));
        assertThrows(StoreException.class, () -> tokens.insert(token("at-1", "other", false, null, NOW.plus(Duration.ofHours(2)), null)));
        assertEquals("initial", tokens.find("at-1").orElseThrow().clientId());
    }

    @Test
    void tokenStore_aDynamicClientsTokenIsOnlyAsAliveAsItsClient() {
        clients.register(client("c-1", "rat-1", null), Consumption.NOTHING, NOW);
        tokens.insert(token("at-dynamic", "c-1", true, null, NOW.plus(Duration.ofHours(1)), null));
        tokens.insert(token("at-orphan", "c-gone", true, null, NOW.plus(Duration.ofHours(1)), null));
        tokens.insert(token("at-static", "initial", false, null, NOW.plus(Duration.ofHours(1)), null));

        assertTrue(tokens.find("at-dynamic").orElseThrow().clientActive());
        assertFalse(tokens.find("at-orphan").orElseThrow().clientActive(), "no client, no life");
        assertTrue(tokens.find("at-static").orElseThrow().clientActive(), "static clients are always active");

        clients.changeStatus(new StatusChange("c-1", ClientStatus.REVOKED, "admin", null, NOW));
        assertFalse(tokens.find("at-dynamic").orElseThrow().clientActive());
        clients.changeStatus(new StatusChange("c-1", ClientStatus.ACTIVE, "admin", null, NOW));
        assertTrue(tokens.find("at-dynamic").orElseThrow().clientActive());
    }

    @Test
    void tokenStore_deleteRevokesOneToken() {
        tokens.insert(token("at-1", "initial", false, null, NOW.plus(Duration.ofHours(1)), null));
        tokens.insert(token("at-2", "initial", false, null, NOW.plus(Duration.ofHours(1)), null));

        assertTrue(tokens.delete("at-1"));
        assertTrue(tokens.find("at-1").isEmpty());
        assertTrue(tokens.find("at-2").isPresent());
        assertFalse(tokens.delete("at-1"));
    }

    @Test
    void tokenStore_housekeepingRemovesOnlyTokensExpiredBeforeTheCutoff() {
        tokens.insert(token("at-old", "initial", false, null, NOW.minus(Duration.ofHours(2)), null));
        tokens.insert(token("at-older", "initial", false, null, NOW.minus(Duration.ofDays(2)), null));
        tokens.insert(token("at-recent", "initial", false, null, NOW.minusSeconds(30), null));
        tokens.insert(token("at-live", "initial", false, null, NOW.plus(Duration.ofHours(1)), null));

        assertEquals(2, tokens.deleteExpired(NOW.minus(Duration.ofMinutes(5))));
        assertTrue(tokens.find("at-old").isEmpty());
        assertTrue(tokens.find("at-older").isEmpty());
        assertTrue(tokens.find("at-recent").isPresent());
        assertTrue(tokens.find("at-live").isPresent());
        assertEquals(0, tokens.deleteExpired(NOW.minus(Duration.ofMinutes(5))));
    }

    // ---- GrantStore

    @Test
    void grantStore_aCodeIsRedeemedOnceThenReportedAsReplayed() {
        AuthorizationCode code = new AuthorizationCode("code-1", "c-1", "user-1", "https://app.example.com/cb", true,
                List.of("openid", "profile"), "nonce-1", "challenge-1", NOW.minusSeconds(10), "grant-1", NOW.plusSeconds(60));
        grants.insertCode(code);

        GrantStore.Redemption<AuthorizationCode> first = grants.redeemCode("code-1", NOW);
        assertEquals(GrantStore.Outcome.DONE, first.outcome());
        assertEquals(code, first.found());
        GrantStore.Redemption<AuthorizationCode> second = grants.redeemCode("code-1", NOW);
        assertEquals(GrantStore.Outcome.REPLAYED, second.outcome());
        assertEquals("grant-1", second.found().grantId(), "the replayed code names the grant to revoke");
        assertEquals(GrantStore.Outcome.UNKNOWN, grants.redeemCode("code-unknown", NOW).outcome());
    }

    @Test
    void grantStore_anExpiredCodeIsUnknown() {
        grants.insertCode(new AuthorizationCode("code-1", "c-1", "user-1", "https://app.example.com/cb", false, List.of("openid"),
                null, null, NOW.minusSeconds(120), "grant-1", NOW.minusSeconds(1)));
        GrantStore.Redemption<AuthorizationCode> r = grants.redeemCode("code-1", NOW);
        assertEquals(GrantStore.Outcome.UNKNOWN, r.outcome());
        assertNull(r.found());
    }

    @Test
    void grantStore_issuedTokensAreFoundAndCarryTheirClientsStatus() {
        clients.register(client("c-1", "rat-1", null), Consumption.NOTHING, NOW);
        RefreshToken refresh = refresh("rt-1", "c-1", "grant-1");
        grants.issue(token("at-1", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-1"), refresh);
        grants.issue(token("at-2", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-2"), null);

        assertEquals(refresh, grants.findRefreshToken("rt-1").orElseThrow());
        assertTrue(tokens.find("at-1").isPresent());
        assertTrue(tokens.find("at-2").isPresent(), "an access token alone (no refresh token asked for)");
        assertTrue(grants.findRefreshToken("rt-unknown").isEmpty());

        clients.changeStatus(new StatusChange("c-1", ClientStatus.REVOKED, "admin", null, NOW));
        assertFalse(grants.findRefreshToken("rt-1").orElseThrow().clientActive());
    }

    @Test
    void grantStore_aRefreshTokenRotatesOnce() {
        grants.issue(token("at-1", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-1"), refresh("rt-1", "c-1", "grant-1"));

        assertEquals(GrantStore.Outcome.DONE, grants.rotate("rt-1",
                token("at-2", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-1"), refresh("rt-2", "c-1", "grant-1")));
        assertTrue(grants.findRefreshToken("rt-1").orElseThrow().rotated());
        assertFalse(grants.findRefreshToken("rt-2").orElseThrow().rotated());
        assertTrue(tokens.find("at-2").isPresent());

        assertEquals(GrantStore.Outcome.REPLAYED, grants.rotate("rt-1",
                token("at-3", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-1"), refresh("rt-3", "c-1", "grant-1")));
        assertTrue(tokens.find("at-3").isEmpty(), "a lost rotation stores nothing");
        assertTrue(grants.findRefreshToken("rt-3").isEmpty());
    }

    @Test
    void grantStore_revokingAGrantRemovesItsWholeFamily() {
        grants.issue(token("at-1", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-1"), refresh("rt-1", "c-1", "grant-1"));
        grants.rotate("rt-1", token("at-2", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-1"), refresh("rt-2", "c-1", "grant-1"));
        grants.issue(token("at-other", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-2"), refresh("rt-other", "c-1", "grant-2"));

        assertEquals(4, grants.revokeGrant("grant-1"));
        assertTrue(tokens.find("at-1").isEmpty());
        assertTrue(tokens.find("at-2").isEmpty());
        assertTrue(grants.findRefreshToken("rt-1").isEmpty());
        assertTrue(grants.findRefreshToken("rt-2").isEmpty());
        assertTrue(tokens.find("at-other").isPresent());
        assertTrue(grants.findRefreshToken("rt-other").isPresent());
        assertEquals(0, grants.revokeGrant("grant-1"));
    }

    /** Grant grant-1's rt-1 rotated into rt-2, keeping the answer "sealed-answer" for rt-1 until NOW + 30 s. */
    private void rotateKeepingTheAnswer() {
        grants.issue(token("at-1", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-1"), refresh("rt-1", "c-1", "grant-1"));
        RefreshToken second = refresh("rt-2", "c-1", "grant-1");
        RefreshToken secondReplacesFirst = new RefreshToken(second.tokenHash(), second.clientId(), second.dynamicClient(), second.userId(),
                second.grantId(), second.scopes(), second.authTime(), second.issuedAt(), second.expiresAt(), false,
                second.certificateThumbprint(), true, "rt-1", null, null);
        assertEquals(GrantStore.Outcome.DONE, grants.rotate("rt-1", null, token("at-2", "c-1", true, null, NOW.plus(Duration.ofHours(1)),
                "grant-1"), secondReplacesFirst, new GrantStore.Replay(NOW.plusSeconds(30), "sealed-answer")));
    }

    @Test
    void grantStore_aRotationKeepsItsAnswerUntilTheNewTokenIsRotatedOrHousekeeping() {
        rotateKeepingTheAnswer();

        RefreshToken first = grants.findRefreshToken("rt-1").orElseThrow();
        assertEquals("sealed-answer", first.pendingResponse());
        assertTrue(first.answeredAgainAt(NOW.plusSeconds(29)));
        assertFalse(first.answeredAgainAt(NOW.plusSeconds(30)));
        assertEquals("rt-1", grants.findRefreshToken("rt-2").orElseThrow().predecessorHash());

        // The second token's rotation ends the first one's answer in the same transaction.
        assertEquals(GrantStore.Outcome.DONE, grants.rotate("rt-2", "rt-1", token("at-3", "c-1", true, null,
                NOW.plus(Duration.ofHours(1)), "grant-1"), refresh("rt-3", "c-1", "grant-1"), null));
        assertNull(grants.findRefreshToken("rt-1").orElseThrow().pendingResponse());
        assertFalse(grants.findRefreshToken("rt-1").orElseThrow().answeredAgainAt(NOW));

        grants.issue(token("at-4", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-2"), refresh("rt-4", "c-1", "grant-2"));
        grants.rotate("rt-4", null, token("at-5", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-2"),
                refresh("rt-5", "c-1", "grant-2"), new GrantStore.Replay(NOW.plusSeconds(30), "sealed-answer-4"));
        assertEquals(0, grants.forgetEndedReplays(NOW.plusSeconds(30)), "not ended yet");
        assertEquals(1, grants.forgetEndedReplays(NOW.plusSeconds(31)));
        assertNull(grants.findRefreshToken("rt-4").orElseThrow().pendingResponse());
        assertTrue(grants.findRefreshToken("rt-4").orElseThrow().rotated(), "still a rotated token, whose replay revokes");
    }

    @Test
    void grantStore_theKeptAnswerIsGoneOnceTheNewTokenIsUsedEvenForAStaleRow() {
        rotateKeepingTheAnswer();
        RefreshToken stale = grants.findRefreshToken("rt-1").orElseThrow();
        assertEquals(Optional.of("sealed-answer"), grants.keptAnswer("rt-1", NOW.plusSeconds(29)));
        assertEquals(Optional.empty(), grants.keptAnswer("rt-1", NOW.plusSeconds(30)), "the leeway has ended");
        assertEquals(Optional.empty(), grants.keptAnswer("rt-2", NOW), "not rotated: nothing kept");
        assertEquals(Optional.empty(), grants.keptAnswer("rt-unknown", NOW));

        // The new token's first use, while a request with the previous one holds the stale row.
        assertEquals(GrantStore.Outcome.DONE, grants.rotate("rt-2", "rt-1", token("at-3", "c-1", true, null,
                NOW.plus(Duration.ofHours(1)), "grant-1"), refresh("rt-3", "c-1", "grant-1"), null));
        assertTrue(stale.answeredAgainAt(NOW), "the stale row still shows the kept answer");
        assertEquals(Optional.empty(), grants.keptAnswer(stale.tokenHash(), NOW));
    }

    @Test
    void grantStore_housekeepingRemovesExpiredCodesAndRefreshTokens() {
        grants.insertCode(new AuthorizationCode("code-old", "c-1", "user-1", "https://app.example.com/cb", true, List.of("openid"),
                null, null, NOW, "grant-1", NOW.minus(Duration.ofHours(1))));
        grants.insertCode(new AuthorizationCode("code-live", "c-1", "user-1", "https://app.example.com/cb", true, List.of("openid"),
                null, null, NOW, "grant-2", NOW.plusSeconds(60)));
        RefreshToken old = refresh("rt-old", "c-1", "grant-3");
        grants.issue(token("at-3", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-3"),
                new RefreshToken(old.tokenHash(), old.clientId(), old.dynamicClient(), old.userId(), old.grantId(), old.scopes(),
                        old.authTime(), old.issuedAt(), NOW.minus(Duration.ofHours(1)), false, null, true));
        grants.issue(token("at-4", "c-1", true, null, NOW.plus(Duration.ofHours(1)), "grant-4"), refresh("rt-live", "c-1", "grant-4"));

        assertEquals(2, grants.deleteExpired(NOW));
        assertEquals(GrantStore.Outcome.UNKNOWN, grants.redeemCode("code-old", NOW.minus(Duration.ofHours(2))).outcome());
        assertEquals(GrantStore.Outcome.DONE, grants.redeemCode("code-live", NOW).outcome());
        assertTrue(grants.findRefreshToken("rt-old").isEmpty());
        assertTrue(grants.findRefreshToken("rt-live").isPresent());
    }

    // ---- UserStore

    @Test
    void userStore_aUsernameIsTakenOnce() {
        User alice = new User("user-1", "alice", "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA", "Alice Example",
                "alice@example.com", NOW);
        assertTrue(users.insertIfAbsent(alice));
        assertFalse(users.insertIfAbsent(new User("user-2", "alice", "other", null, null, NOW)));

        assertEquals(alice, users.findByUsername("alice").orElseThrow());
        assertEquals(alice, users.find("user-1").orElseThrow());
        assertTrue(users.find("user-2").isEmpty());
        assertTrue(users.findByUsername("bob").isEmpty());
    }

    @Test
    void userStore_aSessionIsFoundUntilItExpiresOrIsDeleted() {
        users.insertIfAbsent(new User("user-1", "alice", "hash", null, null, NOW));
        SsoSession session = new SsoSession("session-1", "user-1", NOW, NOW.plus(Duration.ofHours(8)));
        users.insertSession(session);

        assertEquals(session, users.findSession("session-1", NOW).orElseThrow());
        assertTrue(users.findSession("session-1", NOW.plus(Duration.ofHours(8))).isEmpty(), "expired");
        users.deleteSession("session-1");
        assertTrue(users.findSession("session-1", NOW).isEmpty());
    }

    @Test
    void userStore_housekeepingRemovesExpiredSessions() {
        users.insertIfAbsent(new User("user-1", "alice", "hash", null, null, NOW));
        users.insertSession(new SsoSession("session-old", "user-1", NOW.minus(Duration.ofHours(9)), NOW.minusSeconds(1)));
        users.insertSession(new SsoSession("session-live", "user-1", NOW, NOW.plus(Duration.ofHours(8))));

        assertEquals(1, users.deleteExpired(NOW));
        assertTrue(users.findSession("session-live", NOW).isPresent());
    }

    // ---- FailureStore

    private static FailureStore.Increment always(String key) {
        return new FailureStore.Increment(key, false, null);
    }

    @Test
    void failureStore_countsPerWindowAndStartsOverWhenItCloses() {
        Duration window = Duration.ofMinutes(15);
        assertEquals(Map.of(), failures.find(List.of("key-1", "key-2"), NOW, window));
        assertTrue(failures.increment(List.of(always("key-1"), always("key-2")), NOW, window));
        assertTrue(failures.increment(List.of(always("key-1")), NOW.plusSeconds(60), window));

        Map<String, FailureCount> open = failures.find(List.of("key-1", "key-2", "key-3"), NOW.plusSeconds(60), window);
        assertEquals(new FailureCount(2, NOW, NOW.plusSeconds(60)), open.get("key-1"));
        assertEquals(new FailureCount(1, NOW, NOW), open.get("key-2"));
        assertEquals(2, open.size());

        assertEquals(Map.of(), failures.find(List.of("key-1"), NOW.plus(window), window), "the window has closed");
        Instant later = NOW.plus(window).plusSeconds(1);
        assertTrue(failures.increment(List.of(always("key-1")), later, window));
        assertEquals(new FailureCount(1, later, later), failures.find(List.of("key-1"), later, window).get("key-1"), "a new window opens");
    }

    @Test
    void failureStore_aConditionalIncrementCountsOnlyOnTheCounterItRead() {
        Duration window = Duration.ofHours(1);
        // Two attempts both saw no counter: the first opens it, the second finds it changed and counts nothing.
        assertTrue(failures.increment(List.of(new FailureStore.Increment("pair", true, null), always("subject")), NOW, window));
        assertFalse(failures.increment(List.of(always("subject"), new FailureStore.Increment("pair", true, null)), NOW, window));
        FailureCount seen = failures.find(List.of("pair"), NOW, window).get("pair");
        assertEquals(1, failures.find(List.of("subject"), NOW, window).get("subject").failures(), "nothing of a refused increment counts");

        Instant next = NOW.plusSeconds(5);
        assertTrue(failures.increment(List.of(new FailureStore.Increment("pair", true, seen)), next, window));
        assertFalse(failures.increment(List.of(new FailureStore.Increment("pair", true, seen)), next, window), "stale");
        assertEquals(new FailureCount(2, NOW, next), failures.find(List.of("pair"), next, window).get("pair"));

        // A closed window seen as no counter opens a new one.
        Instant afterWindow = NOW.plus(window).plusSeconds(1);
        assertTrue(failures.increment(List.of(new FailureStore.Increment("pair", true, null)), afterWindow, window));
        assertEquals(new FailureCount(1, afterWindow, afterWindow), failures.find(List.of("pair"), afterWindow, window).get("pair"));
    }

    @Test
    void failureStore_aRefundDeletesThePairAndGivesBackOneOfTheOthers() {
        Duration window = Duration.ofHours(1);
        failures.increment(List.of(always("pair"), always("address"), always("subject")), NOW, window);
        failures.increment(List.of(always("address")), NOW, window);
        failures.refund("pair", List.of("address", "subject"));

        Map<String, FailureCount> open = failures.find(List.of("pair", "address", "subject"), NOW, window);
        assertNull(open.get("pair"));
        assertEquals(1, open.get("address").failures());
        assertEquals(0, open.get("subject").failures());
        failures.refund("pair", List.of("subject"));
        assertEquals(0, failures.find(List.of("subject"), NOW, window).get("subject").failures(), "never below zero");
    }

    @Test
    void failureStore_housekeepingRemovesClosedWindows() {
        Duration window = Duration.ofMinutes(15);
        failures.increment(List.of(always("key-old")), NOW.minus(Duration.ofHours(1)), window);
        failures.increment(List.of(always("key-live")), NOW, window);

        assertEquals(1, failures.deleteExpired(NOW, window));
        assertEquals(1, failures.find(List.of("key-live"), NOW, window).get("key-live").failures());
    }

    // ---- TemplateStore

    @Test
    void templateStore_savesReplacesAndListsById() {
        ClientTemplate b = new ClientTemplate("b-template", new ClientMetadata(Map.of("scope", "api")), Duration.ofMinutes(5),
                Duration.ofDays(30), NOW);
        ClientTemplate a = new ClientTemplate("a-template", new ClientMetadata(Map.of("grant_types", List.of("client_credentials"))),
                null, null, NOW);
        templates.save(b);
        templates.save(a);
        assertEquals(b, templates.find("b-template").orElseThrow());
        assertEquals(List.of(a, b), templates.list());

        ClientTemplate b2 = new ClientTemplate("b-template", new ClientMetadata(Map.of("scope", "api reports")), null, null,
                NOW.plusSeconds(1));
        templates.save(b2);
        assertEquals(List.of(a, b2), templates.list());
        assertTrue(templates.find("c-template").isEmpty());
    }

    // ---- ServerStateStore

    @Test
    void serverStateStore_aValueIsGeneratedOnceAndKept() {
        AtomicInteger generated = new AtomicInteger();
        String first = state.getOrCreate("signing-key", () -> "value-" + generated.incrementAndGet());
        String second = state.getOrCreate("signing-key", () -> "value-" + generated.incrementAndGet());

        assertEquals("value-1", first);
        assertEquals("value-1", second);
        assertEquals("other", state.getOrCreate("hashing-key", () -> "other"));
        assertTrue(state.ping());
    }

    // ---- AssertionReplayStore

    @Test
    void assertionReplayStore_aJtiIsAcceptedOnceUntilItsAssertionExpires() {
        assertTrue(replays.firstUse("c-1:jti-1", NOW.plusSeconds(60)));
        assertFalse(replays.firstUse("c-1:jti-1", NOW.plusSeconds(60)), "a replay");
        assertTrue(replays.firstUse("c-2:jti-1", NOW.plusSeconds(60)), "another client's jti");
        replays.firstUse("c-1:jti-old", NOW.minusSeconds(1));

        assertEquals(1, replays.deleteExpired(NOW));
        assertTrue(replays.firstUse("c-1:jti-old", NOW.plusSeconds(60)), "forgotten once its assertion expired");
        assertFalse(replays.firstUse("c-1:jti-1", NOW.plusSeconds(60)));
    }

    // ---- PushedRequestStore

    @Test
    void pushedRequestStore_isFoundWithItsParametersUntilItExpires() {
        Map<String, String> parameters = Map.of("client_id", "c-1", "response_type", "code", "scope", "openid profile",
                "redirect_uri", "https://app.example.com/cb?x=1&y=\"2\"", "state", "s é 1");
        PushedRequest request = new PushedRequest("uri-1", "c-1", parameters, NOW.plusSeconds(60));
        pushed.insert(request);

        assertEquals(Optional.of(request), pushed.find("uri-1", NOW));
        assertEquals(Optional.of(request), pushed.find("uri-1", NOW), "reading does not use it up");
        assertEquals(Optional.empty(), pushed.find("uri-1", NOW.plusSeconds(60)), "expired");
        assertEquals(Optional.empty(), pushed.find("uri-unknown", NOW));
    }

    @Test
    void pushedRequestStore_isConsumedOnceByItsClientBeforeItExpires() {
        pushed.insert(new PushedRequest("uri-1", "c-1", Map.of("client_id", "c-1"), NOW.plusSeconds(60)));
        pushed.insert(new PushedRequest("uri-2", "c-1", Map.of("client_id", "c-1"), NOW.plusSeconds(60)));

        assertFalse(pushed.consume("uri-1", "c-2", NOW), "another client's");
        assertFalse(pushed.consume("uri-2", "c-1", NOW.plusSeconds(60)), "expired");
        assertTrue(pushed.consume("uri-1", "c-1", NOW));
        assertFalse(pushed.consume("uri-1", "c-1", NOW), "used");
        assertEquals(Optional.empty(), pushed.find("uri-1", NOW));
    }

    @Test
    void pushedRequestStore_ofConcurrentConsumersExactlyOneWins() throws Exception {
        int threads = 16;
        for (int round = 0; round < 5; round++) {
            String hash = "uri-race-" + round;
            pushed.insert(new PushedRequest(hash, "c-1", Map.of("client_id", "c-1"), NOW.plusSeconds(60)));
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            AtomicInteger wins = new AtomicInteger();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        if (pushed.consume(hash, "c-1", NOW)) {
                            wins.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (var f : done) {
                    f.get();
                }
            }
            assertEquals(1, wins.get(), "round " + round);
        }
    }

    @Test
    void pushedRequestStore_housekeepingRemovesExpiredRequests() {
        pushed.insert(new PushedRequest("uri-old", "c-1", Map.of("client_id", "c-1"), NOW.minusSeconds(1)));
        pushed.insert(new PushedRequest("uri-live", "c-1", Map.of("client_id", "c-1"), NOW.plusSeconds(60)));
        assertEquals(1, pushed.deleteExpired(NOW));
        assertTrue(pushed.find("uri-live", NOW).isPresent());
    }

    // ---- fixtures

    private static ClientMetadata metadata(String name) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("client_name", name);
        document.put("redirect_uris", List.of("https://app.example.com/cb"));
        document.put("token_endpoint_auth_method", "client_secret_basic");
        return new ClientMetadata(document);
    }

    private static DynamicClient client(String clientId, String tokenHash, ClientTemplate template) {
        ClientMetadata metadata = metadata("App " + clientId);
        if (template != null) {
            metadata = TemplateOverlay.apply(metadata, template.metadata());
        }
        return new DynamicClient(clientId, ClientStatus.ACTIVE, metadata, "secret-" + clientId, "encrypted-" + clientId,
                NOW.plus(Duration.ofDays(90)), tokenHash, NOW.plus(Duration.ofDays(28)), NOW.plus(Duration.ofDays(365)),
                "initial", "initial_token", null, template == null ? null : template.templateId(), NOW.minusSeconds(1), NOW, template,
                RegistrationOrigin.NONE);
    }

    private static DynamicClient userClient(String clientId, String tokenHash, String user, Instant createdAt) {
        return new DynamicClient(clientId, ClientStatus.ACTIVE, metadata("App " + clientId), null, null, null, tokenHash,
                NOW.plus(Duration.ofDays(28)), NOW.plus(Duration.ofDays(365)), null, "user", user, null, createdAt, createdAt, null,
                RegistrationOrigin.NONE);
    }

    private static AccessToken token(String hash, String clientId, boolean dynamic, Integer registrationsLeft, Instant expiresAt,
                                     String grantId) {
        return new AccessToken(hash, clientId, dynamic, registrationsLeft == null ? List.of("api") : List.of("dcr"),
                grantId == null ? null : "user-1", expiresAt.minus(Duration.ofHours(3)), expiresAt, registrationsLeft, null, true, grantId);
    }

    private static RefreshToken refresh(String hash, String clientId, String grantId) {
        return new RefreshToken(hash, clientId, true, "user-1", grantId, List.of("openid", "offline_access"), NOW.minusSeconds(30),
                NOW, NOW.plus(Duration.ofDays(30)), false, "x5t-" + hash, true);
    }
}
