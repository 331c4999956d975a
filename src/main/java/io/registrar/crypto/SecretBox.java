package io.registrar.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * AES-GCM encryption of the few secrets the server must be able to read back: those of
 * client_secret_jwt clients, whose HMAC the server recomputes (RFC 7523 §2.2; OpenID Connect Core §9).
 * The client id is authenticated data, so a ciphertext copied onto another client's row does not
 * decrypt. Stored form: base64(12-byte IV || ciphertext || 16-byte tag).
 */
public final class SecretBox {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(byte[] aesKey) {
        if (aesKey.length != 16 && aesKey.length != 24 && aesKey.length != 32) {
            throw new IllegalArgumentException("AES key must be 16, 24 or 32 bytes");
        }
        this.key = new SecretKeySpec(aesKey.clone(), "AES");
    }

    public String encrypt(String plaintext, String boundTo) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, iv, boundTo);
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(iv, IV_BYTES + ct.length);
            System.arraycopy(ct, 0, out, IV_BYTES, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext, or an exception when the ciphertext was altered, moved or made under another key. */
    public String decrypt(String stored, String boundTo) {
        try {
            byte[] in = Base64.getDecoder().decode(stored);
            Cipher c = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(in, IV_BYTES), boundTo);
            return new String(c.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("stored secret does not decrypt under the configured key", e);
        }
    }

    private Cipher cipher(int mode, byte[] iv, String boundTo) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
