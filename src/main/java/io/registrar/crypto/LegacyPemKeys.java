package io.registrar.crypto;

import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;

/**
 * The private key formats older than PKCS#8 that openssl still writes, PKCS#1 ({@code BEGIN RSA PRIVATE KEY},
 * RFC 8017 Appendix A.1.2) and SEC 1 ({@code BEGIN EC PRIVATE KEY}, RFC 5915), read with Bouncy Castle: in a
 * class of their own, so that a server whose key is PKCS#8 never loads it (see {@link CertificateMaker}).
 */
final class LegacyPemKeys {

    private LegacyPemKeys() {
    }

    static PrivateKey privateKey(String pem) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                // openssl ecparam -genkey writes an EC PARAMETERS block first; it is skipped like any other.
                if (o instanceof PEMKeyPair pair) {
                    // SEC 1's public key is optional, so only the private part is read.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PEMEncryptedKeyPair) {
                    throw PemKeyMaterial.encrypted();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the private key file is not valid PEM: " + e.getMessage(), e);
        }
        throw PemKeyMaterial.noKey();
    }
}
