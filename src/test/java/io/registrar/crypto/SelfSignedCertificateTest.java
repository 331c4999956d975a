package io.registrar.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelfSignedCertificateTest {

    private static final char[] PASSWORD = "in-memory".toCharArray();

    @TempDir
    Path dataDir;

    @Test
    void createdOnceWithAnOwnerOnlyKeyAndKeptAcrossStarts() throws Exception {
        SelfSignedCertificate files = SelfSignedCertificate.ensure(dataDir);
        assertTrue(Files.exists(files.certificateFile()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.keyFile())));
        X509Certificate first = files.certificate();
        first.checkValidity();
        assertTrue(first.getSubjectX500Principal().getName().contains("CN=localhost"));
        assertTrue(first.getSubjectAlternativeNames().toString().contains("127.0.0.1"));

        X509Certificate again = SelfSignedCertificate.ensure(dataDir).certificate();
        assertArrayEquals(first.getEncoded(), again.getEncoded());
        assertKeyMatches(files.keyStore(PASSWORD), first);
    }

    @Test
    void aLegacyKeyStoreIsConvertedOnceAndRemoved() throws Exception {
        // A data folder written by a version that kept the pair in PKCS12 with a password file beside it.
        X509Certificate original = SelfSignedCertificate.ensure(dataDir.resolve("donor")).certificate();
        KeyStore donor = SelfSignedCertificate.in(dataDir.resolve("donor")).keyStore(PASSWORD);
        Path legacy = dataDir.resolve("tls-self-signed.p12");
        // The in-memory entry was protected with PASSWORD; store it again under the legacy password.
        KeyStore legacyStore = KeyStores.inMemory((PrivateKey) donor.getKey(KeyStores.ALIAS, PASSWORD),
                java.util.List.of(donor.getCertificateChain(KeyStores.ALIAS)), "legacy-password".toCharArray());
        try (OutputStream out = Files.newOutputStream(legacy)) {
            legacyStore.store(out, "legacy-password".toCharArray());
        }
        Files.writeString(dataDir.resolve("tls-self-signed.password"), "legacy-password\n", StandardCharsets.US_ASCII);

        SelfSignedCertificate converted = SelfSignedCertificate.ensure(dataDir);
        assertArrayEquals(original.getEncoded(), converted.certificate().getEncoded());
        assertKeyMatches(converted.keyStore(PASSWORD), original);
        assertFalse(Files.exists(legacy));
        assertFalse(Files.exists(dataDir.resolve("tls-self-signed.password")));
    }

    @Test
    void aCorruptKeyFileIsAnError() throws Exception {
        SelfSignedCertificate files = SelfSignedCertificate.ensure(dataDir);
        Files.writeString(files.keyFile(), "not a key");
        assertThrows(GeneralSecurityException.class, () -> files.keyStore(PASSWORD));
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAndEnsureMakesANewPair() throws Exception {
        SelfSignedCertificate files = SelfSignedCertificate.ensure(dataDir);
        SelfSignedCertificate other = SelfSignedCertificate.ensure(dataDir.resolve("other"));
        Files.copy(other.keyFile(), files.keyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> files.keyStore(PASSWORD));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());

        SelfSignedCertificate remade = SelfSignedCertificate.ensure(dataDir);
        assertKeyMatches(remade.keyStore(PASSWORD), remade.certificate());
    }

    @Test
    void everyKeyEntryOfAKeyStoreIsCopied() throws Exception {
        KeyStore two = KeyStore.getInstance("PKCS12");
        two.load(null, null);
        for (String name : java.util.List.of("a", "b")) {
            KeyStore one = SelfSignedCertificate.ensure(dataDir.resolve(name)).keyStore(PASSWORD);
            two.setEntry(name, one.getEntry(KeyStores.ALIAS, new KeyStore.PasswordProtection(PASSWORD)),
                    new KeyStore.PasswordProtection(PASSWORD));
        }
        KeyStore copy = KeyStores.inMemoryCopy(two, PASSWORD);
        assertEquals(java.util.Set.of("a", "b"), java.util.Set.copyOf(java.util.Collections.list(copy.aliases())));
    }

    @Test
    void anInMemoryCopyNeedsAPrivateKeyAndItsPassword() throws Exception {
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        assertThrows(UnrecoverableKeyException.class, () -> KeyStores.inMemoryCopy(empty, PASSWORD));

        SelfSignedCertificate files = SelfSignedCertificate.ensure(dataDir);
        KeyStore source = files.keyStore(PASSWORD);
        assertThrows(GeneralSecurityException.class, () -> KeyStores.inMemoryCopy(source, "wrong".toCharArray()));
        assertKeyMatches(KeyStores.inMemoryCopy(source, PASSWORD), files.certificate());
    }

    private static void assertKeyMatches(KeyStore ks, X509Certificate certificate) throws Exception {
        PrivateKey key = (PrivateKey) ks.getKey(KeyStores.ALIAS, PASSWORD);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[]{1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[]{1, 2, 3});
        assertTrue(verifier.verify(signature));
        assertArrayEquals(certificate.getEncoded(), ks.getCertificate(KeyStores.ALIAS).getEncoded());
    }
}
