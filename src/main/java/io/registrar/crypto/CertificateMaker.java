package io.registrar.crypto;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The certificates the demo makes: its localhost TLS certificate, the demo directory's CA and the
 * client certificates that CA issues. The only class that builds certificates with Bouncy Castle,
 * and its signatures name JDK types alone: the JVM verifies Bouncy Castle's signed jars when one of
 * their classes is first loaded (a few hundred milliseconds on two cores), so a start that finds its
 * certificates on disk must never load, or verify against, a Bouncy Castle type.
 */
final class CertificateMaker {

    private CertificateMaker() {
    }

    static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    /** Self-signed, for {@code localhost}, {@code 127.0.0.1} and {@code ::1}; not a CA. */
    static X509Certificate localhost(KeyPair pair, Duration validity) throws GeneralSecurityException {
        X500Name name = new X500Name("CN=localhost, O=Registrar demo");
        JcaX509v3CertificateBuilder builder = builder(name, name, pair.getPublic(), validity);
        add(builder, Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")}));
        add(builder, Extension.basicConstraints, true, new BasicConstraints(false));
        return sign(builder, pair.getPrivate());
    }

    /** A self-signed CA that issues end-entity certificates only (RFC 5280 §4.2.1.9: path length 0). */
    static X509Certificate certificateAuthority(String dn, KeyPair pair, Duration validity) throws GeneralSecurityException {
        X500Name name = name(dn);
        JcaX509v3CertificateBuilder builder = builder(name, name, pair.getPublic(), validity);
        add(builder, Extension.basicConstraints, true, new BasicConstraints(0));
        add(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return sign(builder, pair.getPrivate());
    }

    /** A certificate for TLS client authentication (RFC 5280 §4.2.1.12 id-kp-clientAuth), issued by {@code ca}. */
    static X509Certificate clientCertificate(X509Certificate ca, PrivateKey caKey, String subjectDn, PublicKey subjectKey,
                                             Duration validity) throws GeneralSecurityException {
        // The issuer's name exactly as the CA encodes its own (RFC 5280 §4.1.2.4), for path building.
        JcaX509v3CertificateBuilder builder = builder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), name(subjectDn),
                subjectKey, validity);
        add(builder, Extension.basicConstraints, true, new BasicConstraints(false));
        add(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        add(builder, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return sign(builder, caKey);
    }

    /**
     * An RFC 4514 string as a certificate name: the first RDN written is the most specific, so it is
     * the last in the encoding, as openssl and every CA write names (RFC 4514 §2.1).
     */
    private static X500Name name(String dn) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(dn).getEncoded());
    }

    /** Valid from five minutes ago (clocks differ), with a random 64-bit serial (RFC 5280 §4.1.2.2). */
    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(validity)), subject, key);
    }

    private static void add(JcaX509v3CertificateBuilder builder, org.bouncycastle.asn1.ASN1ObjectIdentifier oid, boolean critical,
                            org.bouncycastle.asn1.ASN1Encodable value) throws GeneralSecurityException {
        try {
            builder.addExtension(oid, critical, value);
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }
}
