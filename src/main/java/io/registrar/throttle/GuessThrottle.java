package io.registrar.throttle;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.Secrets;
import io.registrar.store.FailureCount;
import io.registrar.store.FailureStore;
import io.registrar.store.FailureStore.Increment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Throttles guessing of one kind of secret ({@code purpose}: passwords, client secrets) by the rules
 * of {@link ThrottleRules}, with the counters in the database so that every node holds back alike.
 *
 * <p>An attempt is counted <em>before</em> its secret is checked, and given back when the secret was
 * right: counted after, a burst of simultaneous attempts would all read the same counters and all be
 * checked. The counters of the address and of the pair of subject and address are taken only if
 * they are still what was read, so of two simultaneous attempts from one address only one is
 * checked. Keys are HMACs: the database holds no usernames or addresses.
 */
public final class GuessThrottle {

    /** A fresh read when another attempt changed a counter between our read and our count. */
    private static final int TRIES = 3;

    /** An attempt: allowed (counted, {@code retryAfter} zero) or to wait {@code retryAfter} without checking the secret. */
    public record Attempt(Duration retryAfter, String pairKey, String addressKey, String subjectKey) {
        public boolean refused() {
            return !retryAfter.isZero();
        }

        /** The wait in whole seconds, at least one: what Retry-After (RFC 9110 §10.2.3) and the page say. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    private final String purpose;
    private final RegistrarConfig.Throttling settings;
    private final FailureStore store;
    private final Secrets secrets;
    private final Clock clock;

    public GuessThrottle(String purpose, RegistrarConfig.Throttling settings, FailureStore store, Secrets secrets, Clock clock) {
        this.purpose = Objects.requireNonNull(purpose, "purpose");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Before checking a secret for {@code subject} (a normalised username, a client id) presented from
     * {@code address}: counts the attempt, or says how long to wait. Follow an allowed attempt with
     * {@link #succeeded} when the secret was right; a wrong one stays counted.
     */
    public Attempt begin(String subject, String address) {
        Keys keys = keys(subject, address);
        String pairKey = keys.pair();
        String addressKey = keys.address();
        String subjectKey = keys.subject();
        for (int i = 0; i < TRIES; i++) {
            Instant now = clock.instant();
            Map<String, FailureCount> seen = store.find(List.of(pairKey, addressKey, subjectKey), now, settings.window());
            Duration wait = ThrottleRules.wait(settings, seen.get(pairKey), seen.get(addressKey), seen.get(subjectKey), now);
            if (!wait.isZero()) {
                return new Attempt(wait, pairKey, addressKey, subjectKey);
            }
            boolean counted = store.increment(List.of(new Increment(pairKey, true, seen.get(pairKey)),
                    new Increment(addressKey, true, seen.get(addressKey)),
                    new Increment(subjectKey, false, null)), now, settings.window());
            if (counted) {
                return new Attempt(Duration.ZERO, pairKey, addressKey, subjectKey);
            }
        }
        // Other attempts from this address keep getting there first: a burst, not a person.
        return new Attempt(Duration.ofSeconds(1), pairKey, addressKey, subjectKey);
    }

    /** The secret of an allowed attempt was right: its pair starts over, and the address and subject get their count back. */
    public void succeeded(Attempt attempt) {
        if (attempt.refused()) {
            throw new IllegalArgumentException("a refused attempt was not counted");
        }
        store.refund(attempt.pairKey(), List.of(attempt.addressKey(), attempt.subjectKey()));
    }

    /**
     * Counts a wrong secret that was checked without {@link #begin}: for callers that skip the counters
     * while this node has seen no recent failure of the subject ({@link RecentFailures}).
     */
    public void failedUnchecked(String subject, String address) {
        Keys keys = keys(subject, address);
        store.increment(List.of(new Increment(keys.pair(), false, null), new Increment(keys.address(), false, null),
                new Increment(keys.subject(), false, null)), clock.instant(), settings.window());
    }

    /** The counters of an attempt: the pair of subject and address, the address, the subject. */
    private record Keys(String pair, String address, String subject) {
    }

    private Keys keys(String subject, String address) {
        String bucket = SourceAddresses.bucket(address);
        return new Keys(secrets.hash(purpose + "-pair:" + subject + "\n" + bucket), secrets.hash(purpose + "-address:" + bucket),
                secrets.hash(purpose + "-subject:" + subject));
    }
}
