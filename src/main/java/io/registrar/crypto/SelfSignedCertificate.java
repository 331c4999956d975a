package io.registrar.crypto;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Demo-mode TLS: a self-signed certificate for localhost, generated once and kept in the data
 * folder (so curl -k and browsers see the same certificate across restarts).
 */
public final class SelfSignedCertificate {

    public static final String ALIAS = "registrar";

    private SelfSignedCertificate() {
    }

    /**
     * Returns the PKCS12 key store at {@code file}, creating it with {@code password} if absent, and
     * keeps its certificate beside it as PEM ({@link #certificateFile}): for {@code curl --cacert},
     * and for {@code registrar clients}, which would otherwise spend half a second of a short run on
     * the key store's password-based decryption.
     */
    public static Path ensure(Path file, char[] password) {
        if (!Files.exists(file)) {
            create(file, password);
        }
        Path pem = certificateFile(file);
        try {
            if (!Files.exists(pem) || Files.getLastModifiedTime(pem).compareTo(Files.getLastModifiedTime(file)) < 0) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, password);
                }
                String text = "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(ks.getCertificate(ALIAS).getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
                Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "tls", ".tmp");
                Files.writeString(tmp, text, StandardCharsets.US_ASCII);
                Files.move(tmp, pem, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write the self-signed TLS certificate to " + pem, e);
        }
        return file;
    }

    /** The PEM copy of the certificate in the key store {@code keystore} (tls-self-signed.p12: tls-self-signed.pem). */
    public static Path certificateFile(Path keystore) {
        String name = keystore.getFileName().toString();
        return keystore.resolveSibling((name.endsWith(".p12") ? name.substring(0, name.length() - 4) : name) + ".pem");
    }

    private static void create(Path file, char[] password) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            X500Name name = new X500Name("CN=localhost, O=Registrar demo");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(825))), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1")}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, pair.getPrivate(), password, new Certificate[]{cert});
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "tls", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, password);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create the self-signed TLS certificate at " + file, e);
        }
    }
}
