package io.registrar.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.List;

import javax.crypto.spec.PBEParameterSpec;

/** In-memory key stores for the TLS listeners. */
public final class KeyStores {

    public static final String ALIAS = "registrar";

    private KeyStores() {
    }

    /**
     * A key store that exists only in this process, holding {@code key} and its chain under
     * {@link #ALIAS}. Its key is protected with a single PBE iteration: a PKCS12 file's 10,000 make
     * sense at rest, but every TLS listener reads the key back from this copy, and each read would
     * repeat that derivation (a few hundred milliseconds of a cold start).
     */
    public static KeyStore inMemory(PrivateKey key, List<? extends Certificate> chain, char[] password) {
        try {
            KeyStore ks = empty();
            ks.setEntry(ALIAS, new KeyStore.PrivateKeyEntry(key, chain.toArray(new Certificate[0])), protection(password));
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an in-memory key store", e);
        }
    }

    /**
     * Every private key entry of {@code source} (each decrypted once, with {@code password}) copied
     * under its own alias into a store like {@link #inMemory}'s, so that the TLS listener can still
     * choose among them by SNI host name and key type.
     *
     * @throws GeneralSecurityException when it holds no private key or the password does not open it
     */
    public static KeyStore inMemoryCopy(KeyStore source, char[] password) throws GeneralSecurityException {
        KeyStore copy = empty();
        for (String alias : Collections.list(source.aliases())) {
            if (source.isKeyEntry(alias) && source.getKey(alias, password) instanceof PrivateKey key) {
                Certificate[] chain = source.getCertificateChain(alias);
                if (chain == null || chain.length == 0) {
                    throw new GeneralSecurityException("its private key entry '" + alias + "' has no certificate");
                }
                copy.setEntry(alias, new KeyStore.PrivateKeyEntry(key, chain), protection(password));
            }
        }
        if (copy.size() == 0) {
            throw new UnrecoverableKeyException("it holds no private key entry");
        }
        return copy;
    }

    private static KeyStore empty() throws GeneralSecurityException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            return ks;
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory key store", e);
        }
    }

    private static KeyStore.PasswordProtection protection(char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return new KeyStore.PasswordProtection(password, "PBEWithHmacSHA256AndAES_256", new PBEParameterSpec(salt, 1));
    }
}
