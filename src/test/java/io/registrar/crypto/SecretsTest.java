package io.registrar.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {

    private final Secrets secrets = new Secrets(new byte[32]);

    @Test
    void tokensCarryTheirIssueTimeAnd256RandomBits() {
        String token = madeNowWithRandomBytes(secrets::newToken, 43, 32);
        assertNotEquals(token.substring(12), secrets.newToken().substring(12));
    }

    /**
     * Makes a value and checks its shape {@code <11 hex digits of epoch ms>.<base64url>}: the time is
     * when it was made, and the rest decodes to {@code randomBytes} bytes.
     */
    private static String madeNowWithRandomBytes(Supplier<String> make, int base64Chars, int randomBytes) {
        long before = System.currentTimeMillis();
        String value = make.get();
        long after = System.currentTimeMillis();
        assertTrue(value.matches("[0-9a-f]{11}\\.[A-Za-z0-9_-]{" + base64Chars + "}"), value);
        long issued = Long.parseLong(value.substring(0, 11), 16);
        assertTrue(issued >= before && issued <= after, value);
        assertEquals(randomBytes, Base64.getUrlDecoder().decode(value.substring(12)).length);
        return value;
    }

    @Test
    void aTokenHashKeepsTheIssueTimeInFrontSoNewRowsSortLast() throws InterruptedException {
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String token = secrets.newToken();
            String hash = secrets.tokenHash(token);
            assertEquals(token.substring(0, 12) + secrets.hash(token), hash);
            assertTrue(hash.length() <= 64, "fits the VARCHAR(64) hash columns");
            hashes.add(hash);
            Thread.sleep(2);
        }
        assertEquals(hashes.stream().sorted().toList(), hashes, "later tokens sort after earlier ones, as text");
    }

    @Test
    void clientIdsAre128RandomBitsBehindTheirRegistrationTimeAndSortByIt() throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(madeNowWithRandomBytes(secrets::newClientId, 22, 16));
            Thread.sleep(2);
        }
        assertEquals(ids.stream().sorted().toList(), ids, "later clients sort after earlier ones, as text");
        assertNotEquals(ids.get(0).substring(12), secrets.newClientId().substring(12));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0YhOq3ZJw4yT3Jw8zQ0kz2m2E9pS4b3qg5E5g5x4y3Q",                   // issued before tokens carried their time
            "0123456789A.0YhOq3ZJw4yT3Jw8zQ0kz2m2E9pS4b3qg5E5g5x4y3Q",       // upper-case digit: not an issue time
            "0123456789a-0YhOq3ZJw4yT3Jw8zQ0kz2m2E9pS4b3qg5E5g5x4y3Q",       // no '.'
            "0123456789a.0YhOq3ZJw4yT3Jw8zQ0kz2m2E9pS4b3qg5E5g5x4y3",        // one character short
            "",
    })
    void anythingElseIsStoredAndFoundByItsPlainHash(String presented) {
        assertEquals(secrets.hash(presented), secrets.tokenHash(presented));
    }

    @Test
    void theHashDependsOnTheServersKey() {
        String token = secrets.newToken();
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertNotEquals(secrets.tokenHash(token), new Secrets(otherKey).tokenHash(token));
    }
}
