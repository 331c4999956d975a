package io.registrar.support;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * A test PKI made fresh by every run (nothing private is committed): a trusted root with an
 * intermediate, a second trusted root, an untrusted CA, and client certificates with chosen subjects,
 * SANs and validity. Keys are EC P-256 to keep generation fast.
 */
public final class TestPki {

    /** A key pair with its certificate and the chain up to (not including) the root. */
    public record Issued(KeyPair keys, X509Certificate cert, List<X509Certificate> chain) {

        /** An SSLContext that presents this certificate and trusts any server (the test server is self-signed). */
        public SSLContext sslContext() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", keys.getPrivate(), "pw".toCharArray(), chain.toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, "pw".toCharArray());
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), new TrustManager[]{TRUST_ANY_SERVER}, new SecureRandom());
                return ctx;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** The chain as PEM, leaf first. */
        public String pem() {
            StringBuilder sb = new StringBuilder();
            for (X509Certificate c : chain) {
                sb.append(TestPki.pem(c));
            }
            return sb.toString();
        }

        /** As a TLS-terminating proxy forwards it (nginx $ssl_client_escaped_cert). */
        public String urlEncodedPem() {
            return URLEncoder.encode(TestPki.pem(cert), StandardCharsets.UTF_8).replace("+", "%20");
        }

        /** RFC 8705 §3.1 x5t#S256. */
        public String thumbprint() {
            try {
                return Base64.getUrlEncoder().withoutPadding().encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static final X509ExtendedTrustManager TRUST_ANY_SERVER = new X509ExtendedTrustManager() {
        public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
        public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
        public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
        public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
        public void checkClientTrusted(X509Certificate[] c, String a) { }
        public void checkServerTrusted(X509Certificate[] c, String a) { }
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    /** Trusts any server certificate and presents none. */
    public static SSLContext trustAnyServer() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{TRUST_ANY_SERVER}, new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public final Issued root;
    public final Issued intermediate;
    public final Issued otherRoot;
    public final Issued untrustedRoot;

    public TestPki() {
        Instant now = Instant.now();
        root = ca("CN=Test Root CA,O=Registrar Tests,C=GB", null, now);
        intermediate = ca("CN=Test Issuing CA,O=Registrar Tests,C=GB", root, now);
        otherRoot = ca("CN=Other Trusted Root,O=Registrar Tests,C=GB", null, now);
        untrustedRoot = ca("CN=Test Issuing CA,O=Registrar Tests,C=GB", null, now);
    }

    /**
     * A PEM file with the trusted issuers for server.mtls.trustedIssuers: the two roots, and the
     * intermediate when {@code withIntermediate} (a proxy forwards the client's certificate alone, so
     * the server must know the intermediate itself).
     */
    public Path trustedIssuersFile(boolean withIntermediate) {
        try {
            Path f = Files.createTempFile(TestDatabase.tempDir(), "trusted-", ".pem");
            Files.writeString(f, pem(root.cert()) + pem(otherRoot.cert()) + (withIntermediate ? pem(intermediate.cert()) : ""));
            return f;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client certificate from {@code issuer}, valid now, with the given SANs ("dns:", "uri:", "ip:", "email:"). */
    public Issued client(String dn, Issued issuer, String... sans) {
        return client(dn, issuer, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)), sans);
    }

    public Issued client(String dn, Issued issuer, Instant notBefore, Instant notAfter, String... sans) {
        return leaf(dn, issuer, null, notBefore, notAfter, KeyPurposeId.id_kp_clientAuth, sans);
    }

    /** A TLS server certificate from {@code issuer}, valid now, for the given SANs ("dns:", "ip:"). */
    public Issued server(String dn, Issued issuer, String... sans) {
        return server(dn, issuer, null, sans);
    }

    /** A TLS server certificate for {@code keys} (an EC P-256 pair when null). */
    public Issued server(String dn, Issued issuer, KeyPair keys, String... sans) {
        return leaf(dn, issuer, keys, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)),
                KeyPurposeId.id_kp_serverAuth, sans);
    }

    private Issued leaf(String dn, Issued issuer, KeyPair givenKeys, Instant notBefore, Instant notAfter, KeyPurposeId purpose,
                        String... sans) {
        try {
            KeyPair keys = givenKeys == null ? ecKeys() : givenKeys;
            var b = new JcaX509v3CertificateBuilder(issuer.cert(), serial(), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(dn), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (sans.length > 0) {
                List<GeneralName> names = new ArrayList<>();
                for (String san : sans) {
                    String v = san.substring(san.indexOf(':') + 1);
                    names.add(switch (san.substring(0, san.indexOf(':'))) {
                        case "dns" -> new GeneralName(GeneralName.dNSName, v);
                        case "uri" -> new GeneralName(GeneralName.uniformResourceIdentifier, v);
                        case "ip" -> new GeneralName(GeneralName.iPAddress, v);
                        case "email" -> new GeneralName(GeneralName.rfc822Name, v);
                        default -> throw new IllegalArgumentException(san);
                    });
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            X509Certificate cert = sign(b, issuer.keys());
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            chain.addAll(issuer.chain().stream().filter(c -> !c.getSubjectX500Principal().equals(c.getIssuerX500Principal())).toList());
            return new Issued(keys, cert, List.copyOf(chain));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed client certificate (self_signed_tls_client_auth). */
    public Issued selfSigned(String dn) {
        try {
            KeyPair keys = ecKeys();
            Instant now = Instant.now();
            var b = new JcaX509v3CertificateBuilder(new X500Name(dn), serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), new X500Name(dn), keys.getPublic());
            X509Certificate cert = sign(b, keys);
            return new Issued(keys, cert, List.of(cert));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued ca(String dn, Issued parent, Instant now) {
        try {
            KeyPair keys = ecKeys();
            Date from = Date.from(now.minus(Duration.ofDays(1)));
            Date to = Date.from(now.plus(Duration.ofDays(365)));
            var b = parent == null
                    ? new JcaX509v3CertificateBuilder(new X500Name(dn), serial(), from, to, new X500Name(dn), keys.getPublic())
                    : new JcaX509v3CertificateBuilder(parent.cert(), serial(), from, to, new X500Name(dn), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(parent == null ? 1 : 0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate cert = sign(b, parent == null ? keys : parent.keys());
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            if (parent != null) {
                chain.addAll(parent.chain());
            }
            return new Issued(keys, cert, List.copyOf(chain));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    public static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
