package io.registrar.crypto;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A TLS server's certificate chain and private key as ACME clients and Kubernetes TLS secrets write
 * them: PEM certificates (leaf first, then intermediates) and an unencrypted PEM key in PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}).
 * Certificates and PKCS#8 keys are read with the JDK alone; only the two older key formats take
 * Bouncy Castle ({@link LegacyPemKeys}), whose signed jars cost a start their verification.
 */
public record PemKeyMaterial(List<X509Certificate> chain, PrivateKey key) {

    public PemKeyMaterial {
        chain = List.copyOf(chain);
    }

    /**
     * Parses and checks that the key belongs to the leaf certificate: files renewed one after the
     * other are briefly a mismatched pair, and serving one would fail every handshake.
     *
     * @throws IllegalArgumentException saying what is wrong with which file
     */
    public static PemKeyMaterial parse(String certificatePem, String keyPem) {
        List<X509Certificate> chain = certificates(certificatePem);
        PrivateKey key = privateKey(keyPem);
        if (!matches(key, chain.getFirst())) {
            throw new IllegalArgumentException("the private key does not belong to the first certificate of the chain ("
                    + chain.getFirst().getSubjectX500Principal().getName() + ")");
        }
        return new PemKeyMaterial(chain, key);
    }

    /** An in-memory key store holding the pair under {@link KeyStores#ALIAS}, protected by {@code password}. */
    public KeyStore keyStore(char[] password) {
        return KeyStores.inMemory(key, chain, password);
    }

    private static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : Pem.blocks(pem, "CERTIFICATE")) {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the certificate file is not valid PEM: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the certificate file holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    private static PrivateKey privateKey(String pem) {
        List<byte[]> pkcs8;
        try {
            pkcs8 = Pem.blocks(pem, "PRIVATE KEY");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the private key file is not valid PEM: " + e.getMessage(), e);
        }
        if (!pkcs8.isEmpty()) {
            return pkcs8(pkcs8.getFirst());
        }
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw encrypted();
        }
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            return LegacyPemKeys.privateKey(pem);
        }
        throw noKey();
    }

    static IllegalArgumentException encrypted() {
        return new IllegalArgumentException("the private key is encrypted; give it unencrypted, "
                + "readable by the server's user only (as ACME clients and Kubernetes secrets do)");
    }

    static IllegalArgumentException noKey() {
        return new IllegalArgumentException("the private key file holds no PEM private key (BEGIN PRIVATE KEY, "
                + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }

    /** RFC 5208 PrivateKeyInfo: its algorithm identifier names one of these key types. */
    private static PrivateKey pkcs8(byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "EdDSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // the next type
            }
        }
        throw new IllegalArgumentException("the private key file is not valid PEM: its PKCS#8 key is not an RSA, EC or EdDSA key");
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    static boolean matches(PrivateKey key, X509Certificate leaf) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new IllegalArgumentException("unsupported private key algorithm " + key.getAlgorithm());
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
