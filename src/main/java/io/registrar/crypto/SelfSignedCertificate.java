package io.registrar.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.List;

/**
 * Demo-mode TLS: a self-signed certificate for localhost, generated once and kept in the data folder
 * (so {@code curl --cacert}, {@code registrar clients} and browsers see the same certificate across
 * restarts), as PEM: the certificate in {@code tls-self-signed.pem} and its EC key (PKCS#8, readable by
 * the owner only) in {@code tls-self-signed-key.pem}. Reading them takes the JDK alone: a PKCS12 file
 * would cost every start its 10,000-iteration key derivations, and Bouncy Castle's signed jars their
 * verification.
 */
public record SelfSignedCertificate(Path certificateFile, Path keyFile) {

    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PRIVATE_KEY = "PRIVATE KEY";

    /** The files in {@code dataDir}, whether or not they exist yet. */
    public static SelfSignedCertificate in(Path dataDir) {
        return new SelfSignedCertificate(dataDir.resolve("tls-self-signed.pem"), dataDir.resolve("tls-self-signed-key.pem"));
    }

    /**
     * The certificate in {@code dataDir}, created there when it has none. A data folder from a version
     * that kept it as {@code tls-self-signed.p12} keeps its certificate: the key store is converted once
     * and removed.
     */
    public static SelfSignedCertificate ensure(Path dataDir) {
        SelfSignedCertificate files = in(dataDir);
        if (Files.exists(files.keyFile) && Files.exists(files.certificateFile) && files.usable()) {
            return files;
        }
        try {
            Files.createDirectories(dataDir);
            Path legacy = dataDir.resolve("tls-self-signed.p12");
            Path legacyPassword = dataDir.resolve("tls-self-signed.password");
            if (Files.exists(legacy) && Files.exists(legacyPassword)) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                char[] password = Files.readString(legacyPassword, StandardCharsets.US_ASCII).trim().toCharArray();
                try (InputStream in = Files.newInputStream(legacy)) {
                    ks.load(in, password);
                }
                Key key = ks.getKey(KeyStores.ALIAS, password);
                if (key instanceof PrivateKey pk && ks.getCertificate(KeyStores.ALIAS) instanceof X509Certificate cert) {
                    files.write(pk, cert);
                    Files.delete(legacy);
                    Files.delete(legacyPassword);
                    return files;
                }
            }
            KeyPair pair = CertificateMaker.ecKeyPair();
            files.write(pair.getPrivate(), CertificateMaker.localhost(pair, Duration.ofDays(825)));
            return files;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write the self-signed TLS certificate to " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The pair as an in-memory key store for the TLS listeners. */
    public KeyStore keyStore(char[] password) throws IOException, GeneralSecurityException {
        return keyStore(Files.readAllBytes(certificateFile), Files.readAllBytes(keyFile), password);
    }

    /**
     * The pair from the files' contents, as read once by the caller (so what was fingerprinted is
     * what is loaded), checked to belong together: a key and certificate from two different writes
     * would break every handshake.
     *
     * @throws GeneralSecurityException when either does not parse or the key is not the certificate's
     */
    public static KeyStore keyStore(byte[] certificatePem, byte[] keyPem, char[] password) throws GeneralSecurityException {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(certificatePem));
        byte[] pkcs8 = decode(new String(keyPem, StandardCharsets.US_ASCII), PRIVATE_KEY);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        if (!PemKeyMaterial.matches(key, certificate)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate");
        }
        return KeyStores.inMemory(key, List.of(certificate), password);
    }

    /** False for a pair that cannot serve (two processes generating at once, a damaged file): it is made again. */
    private boolean usable() {
        try {
            keyStore(new char[]{'x'});
            return true;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    public X509Certificate certificate() throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Key first, then certificate, each by an atomic rename: a certificate on disk always has its key. */
    private void write(PrivateKey key, X509Certificate certificate) throws IOException, GeneralSecurityException {
        KeyFiles.write(keyFile, Pem.encode(PRIVATE_KEY, key.getEncoded()), true);
        KeyFiles.write(certificateFile, Pem.encode(CERTIFICATE, certificate.getEncoded()), false);
    }

    private static byte[] decode(String pem, String type) throws GeneralSecurityException {
        List<byte[]> blocks = Pem.blocks(pem, type);
        if (blocks.isEmpty()) {
            throw new GeneralSecurityException("no -----BEGIN " + type + "----- block");
        }
        return blocks.getFirst();
    }
}
