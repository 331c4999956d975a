package io.registrar.modules;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.KeyRing;
import io.registrar.crypto.SecretBox;
import io.registrar.crypto.Secrets;
import io.registrar.store.ServerStateStore;

import java.util.Base64;

/** The server's keys: the hashing key, the key that encrypts stored secrets, and the signing keys. */
public record SecurityModule(Secrets secrets, SecretBox secretBox, KeyRing keys) {

    public static SecurityModule of(RegistrarConfig.Security security, ServerStateStore state) {
        return new SecurityModule(
                new Secrets(key(security == null ? null : security.hashingKey(), state, "hashing-key")),
                new SecretBox(key(security == null ? null : security.secretEncryptionKey(), state, "secret-encryption-key")),
                KeyRing.load(state::getOrCreate));
    }

    /** A configured base64 key, or else the one generated on first start and kept in the database for every node. */
    private static byte[] key(String configured, ServerStateStore state, String name) {
        return Base64.getDecoder().decode(configured != null && !configured.isBlank() ? configured.trim()
                : state.getOrCreate(name, Secrets::newKey));
    }
}
