package io.registrar.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every random value the server hands out, and the one way they are stored. Secrets, registration
 * access tokens and access tokens are 256-bit random values, so a keyed fast hash (HMAC-SHA-256 under
 * a server-side key) is the right protection: brute force is already impossible, and a slow password
 * hash would only cost throughput. Comparisons are constant-time.
 */
public final class Secrets {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    /** Epoch milliseconds in 11 hex digits last until the year 2527; fixed width keeps them in order as text. */
    private static final int ISSUE_TIME_DIGITS = 11;
    /** Issue time, '.', 256 random bits in base64url (43 characters). */
    private static final int TIMED_TOKEN_LENGTH = ISSUE_TIME_DIGITS + 1 + 43;
    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    /** Mac objects are not thread-safe and virtual threads make ThreadLocal useless: a small pool instead. */
    private final ConcurrentLinkedQueue<Mac> macs = new ConcurrentLinkedQueue<>();

    public Secrets(byte[] hashingKey) {
        Objects.requireNonNull(hashingKey, "hashingKey");
        if (hashingKey.length < 32) {
            throw new IllegalArgumentException("hashing key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(hashingKey.clone(), "HmacSHA256");
    }

    /** A new 256-bit key, base64: {@code security.hashingKey}, {@code security.secretEncryptionKey}. */
    public static String newKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    /** 256 random bits, base64url: client secrets, registration access tokens, session cookies. */
    public String newSecret() {
        return randomString(32);
    }

    /**
     * A token the server finds again by its stored hash: access and refresh tokens, authorization
     * codes. 256 random bits behind the time of issue: {@code <11 hex digits of epoch ms>.<base64url>}.
     * {@link #tokenHash} keeps that time in front of the HMAC, so a new token's row lands at the end
     * of its table's primary-key index instead of on a random page of it (docs/benchmarks.md,
     * "time-ordered client ids and tokens"). The time is no secret (introspection answers
     * {@code iat}); the randomness is 256 bits.
     */
    public String newToken() {
        return timeOrdered(32);
    }

    /**
     * The stored form of a token from {@link #newToken}: its issue time, then
     * base64url(HMAC-SHA-256(key, token)). Anything else, including tokens issued before tokens
     * carried their time, is stored and found as {@link #hash} alone.
     */
    public String tokenHash(String token) {
        String hash = hash(token);
        return carriesIssueTime(token) ? token.substring(0, ISSUE_TIME_DIGITS + 1) + hash : hash;
    }

    private static boolean carriesIssueTime(String token) {
        if (token.length() != TIMED_TOKEN_LENGTH || token.charAt(ISSUE_TIME_DIGITS) != '.') {
            return false;
        }
        for (int i = 0; i < ISSUE_TIME_DIGITS; i++) {
            char c = token.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** 512 random bits, base64url: secrets used as HMAC keys (client_secret_jwt, up to HS512). */
    public String newSigningSecret() {
        return randomString(64);
    }

    /**
     * Unguessable client identifiers: 128 random bits behind the time of registration, in the shape
     * of {@link #newToken} ({@code <11 hex digits of epoch ms>.<base64url>}, 34 characters), so new
     * clients land at the end of the client_id index, as tokens do. The time is no secret (the
     * registration response carries client_id_issued_at), and an identifier that starts with a hex
     * digit never reads as a command-line option.
     */
    public String newClientId() {
        return timeOrdered(16);
    }

    /** {@code <11 hex digits of epoch ms>.<randomBytes, base64url>}: sorts by time of creation. */
    private String timeOrdered(int randomBytes) {
        String millis = Long.toHexString(System.currentTimeMillis());
        return "0".repeat(Math.max(0, ISSUE_TIME_DIGITS - millis.length())) + millis + "." + randomString(randomBytes);
    }

    private String randomString(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return B64URL.encodeToString(b);
    }

    /** The stored form of a secret or token: base64url(HMAC-SHA-256(key, value)). */
    public String hash(String value) {
        Mac mac = macs.poll();
        if (mac == null) {
            mac = newMac();
        }
        try {
            return B64URL.encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } finally {
            macs.offer(mac);
        }
    }

    /** Constant-time check of a presented value against a stored hash. */
    public boolean matches(String presented, String storedHash) {
        if (presented == null || storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(presented).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** Constant-time equality of two plain values (e.g. static client secrets from configuration). */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
