package io.registrar.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User passwords: Argon2id (RFC 9106) from Bouncy Castle, stored as the PHC string
 * {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash} so that parameters can be raised later without
 * invalidating stored hashes. 19 MiB, 2 passes, 1 lane is OWASP's minimum recommendation for Argon2id.
 * Each hash holds its memory for its duration, so at most {@code concurrency} run at once: a burst of
 * sign-ins queues instead of growing the heap. Unlike client secrets (random, HMAC-hashed), passwords
 * are chosen by people and need a slow, memory-hard hash.
 */
public final class PasswordHasher {

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKb;
    private final int iterations;
    private final int parallelism;
    private final Semaphore running;
    private final SecureRandom random = new SecureRandom();
    /** Verified against when the user does not exist, so the answer takes as long either way. */
    private final String dummy;

    public PasswordHasher() {
        this(19_456, 2, 1, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public PasswordHasher(int memoryKb, int iterations, int parallelism, int concurrency) {
        this.memoryKb = memoryKb;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.running = new Semaphore(concurrency, true);
        // Random salt and random "hash" bytes: verifying against it costs a full derivation (same
        // parameters as a real hash) and can never match, and start-up pays no hash for it.
        byte[] salt = new byte[16];
        byte[] never = new byte[32];
        random.nextBytes(salt);
        random.nextBytes(never);
        this.dummy = phc(memoryKb, iterations, parallelism, salt, never);
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return phc(memoryKb, iterations, parallelism, salt, derive(password, salt, memoryKb, iterations, parallelism, 32));
    }

    private static String phc(int m, int t, int p, byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + m + ",t=" + t + ",p=" + p + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} matches the PHC string {@code stored}; constant-time comparison. Null stored: a dummy check. */
    public boolean verify(String password, String stored) {
        boolean known = stored != null;
        Matcher m = PHC.matcher(known ? stored : dummy);
        if (!m.matches()) {
            return false;
        }
        byte[] expected = B64D.decode(m.group(5));
        byte[] actual = derive(password == null ? "" : password, B64D.decode(m.group(4)), Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual) && known;
    }

    private byte[] derive(String password, byte[] salt, int m, int t, int p, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        running.acquireUninterruptibly();
        try {
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        } finally {
            running.release();
        }
        return out;
    }
}
