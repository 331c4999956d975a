package io.registrar.crypto;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {

    // Small parameters keep the test fast; the PHC string carries them, so verification reads them back.
    private final PasswordHasher hasher = new PasswordHasher(1024, 1, 1, 2);

    @Test
    void argon2idPhcStringsVerifyOnlyTheirPassword() {
        String hash = hasher.hash("correct horse");
        assertTrue(hash.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), hash);
        assertTrue(hasher.verify("correct horse", hash));
        assertFalse(hasher.verify("correct horsE", hash));
        assertNotEquals(hash, hasher.hash("correct horse"), "a fresh salt every time");
    }

    @Test
    void hashesMadeWithOtherParametersStillVerify() {
        String strong = new PasswordHasher(19_456, 2, 1, 1).hash("pw-1234567");
        assertTrue(hasher.verify("pw-1234567", strong));
    }

    @Test
    void unknownUsersAndMalformedHashesNeverVerify() {
        assertFalse(hasher.verify("anything", null));
        assertFalse(hasher.verify("anything", "$2a$10$notargon"));
        assertFalse(hasher.verify(null, hasher.hash("x")));
    }
}
