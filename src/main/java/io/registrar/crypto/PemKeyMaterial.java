package io.registrar.crypto;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A TLS server's certificate chain and private key as ACME clients and Kubernetes TLS secrets write
 * them: PEM certificates (leaf first, then intermediates) and an unencrypted PEM key in PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}).
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
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(converter.getCertificate(h));
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the certificate file is not valid PEM: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the certificate file holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    private static PrivateKey privateKey(String pem) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                // openssl ecparam -genkey writes an EC PARAMETERS block first; it is skipped like any other.
                if (o instanceof PEMKeyPair pair) {
                    // PKCS#1 RSA, SEC 1 EC (whose public key is optional, so only the private part is read)
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);              // PKCS#8
                }
                if (o instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo
                        || o instanceof org.bouncycastle.openssl.PEMEncryptedKeyPair) {
                    throw new IllegalArgumentException("the private key is encrypted; give it unencrypted, "
                            + "readable by the server's user only (as ACME clients and Kubernetes secrets do)");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the private key file is not valid PEM: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("the private key file holds no PEM private key (BEGIN PRIVATE KEY, "
                + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private static boolean matches(PrivateKey key, X509Certificate leaf) {
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
