package io.registrar.it;

import io.registrar.config.ConfigException;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestPki;
import io.registrar.support.TestServer;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLSocket;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server certificate from PEM files (as ACME clients and Kubernetes secrets write them) or a key
 * store, and its renewal without a restart: rewrite the files, and the next handshake shows the new one.
 */
class TlsCertificateIT {

    /** How the private key is written. */
    enum KeyFormat { PKCS8_EC, SEC1_EC, PKCS8_RSA, PKCS1_RSA, KEYSTORE }

    private static final TestPki PKI = new TestPki();

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void aRenewedCertificateIsServedWithoutARestart(KeyFormat format, @TempDir Path dir) throws Exception {
        TestPki.Issued first = certificate(format, "CN=first");
        write(dir, format, first);
        String tls = format == KeyFormat.KEYSTORE
                ? "    mode: keystore\n    keystorePath: " + dir.resolve("tls.p12") + "\n    keystorePassword: changeit\n"
                : "    mode: pem\n    certificatePath: " + dir.resolve("tls.crt") + "\n    privateKeyPath: " + dir.resolve("tls.key") + "\n";
        try (TestServer server = TestServer.start(TestDatabase.H2, "server:\n  tls:\n" + tls + "    reloadInterval: 100ms\n")) {
            assertEquals(first.cert(), served(server.port()));
            assertEquals(200, server.http.get("/.well-known/openid-configuration", null).status());

            TestPki.Issued renewed = certificate(format, "CN=renewed");
            write(dir, format, renewed);
            assertEquals(renewed.cert(), awaitServed(server.port(), renewed.cert()));
            assertEquals(200, server.http.get("/.well-known/openid-configuration", null).status());
        }
    }

    /** registrar clients trusts the server's own PEM chain, also when the file holds the key too. */
    @Test
    void theOperatorCommandTrustsACombinedPemFile(@TempDir Path dir) throws Exception {
        TestPki.Issued issued = certificate(KeyFormat.PKCS8_EC, "CN=combined");
        write(dir, KeyFormat.PKCS8_EC, issued);
        Files.writeString(dir.resolve("tls.crt"), issued.pem() + Files.readString(dir.resolve("tls.key")));
        try (TestServer server = TestServer.start(TestDatabase.H2, pem(dir))) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = io.registrar.cli.Main.run((demo, file) -> server.config, new java.io.PrintStream(out, true),
                    new java.io.PrintStream(err, true), "clients", "--server", server.issuer(), "list", "--user", "nobody");
            assertEquals(0, code, err.toString());
            assertTrue(out.toString().contains("0 clients"), out.toString());
        }
    }

    @Test
    void aHalfWrittenRenewalKeepsThePreviousCertificateUntilTheKeyFollows(@TempDir Path dir) throws Exception {
        TestPki.Issued first = certificate(KeyFormat.PKCS8_EC, "CN=first");
        write(dir, KeyFormat.PKCS8_EC, first);
        try (TestServer server = TestServer.start(TestDatabase.H2, pem(dir))) {
            TestPki.Issued renewed = certificate(KeyFormat.PKCS8_EC, "CN=renewed");
            // An ACME client writes the certificate first, the key a moment later.
            Files.writeString(dir.resolve("tls.crt"), renewed.pem());
            Thread.sleep(500);
            assertEquals(first.cert(), served(server.port()), "a certificate without its key is not served");
            Files.writeString(dir.resolve("tls.key"), keyPem(KeyFormat.PKCS8_EC, renewed.keys()));
            assertEquals(renewed.cert(), awaitServed(server.port(), renewed.cert()));
        }
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateStopsTheStart(@TempDir Path dir) throws Exception {
        write(dir, KeyFormat.PKCS8_EC, certificate(KeyFormat.PKCS8_EC, "CN=first"));
        Files.writeString(dir.resolve("tls.key"), keyPem(KeyFormat.PKCS8_EC, certificate(KeyFormat.PKCS8_EC, "CN=other").keys()));
        ConfigException e = assertThrows(ConfigException.class, () -> TestServer.start(TestDatabase.H2, pem(dir)).close());
        assertTrue(e.getMessage().contains("server.tls.certificatePath") && e.getMessage().contains("does not belong"), e.getMessage());
    }

    private static String pem(Path dir) {
        return "server:\n  tls:\n    mode: pem\n    certificatePath: " + dir.resolve("tls.crt") + "\n    privateKeyPath: "
                + dir.resolve("tls.key") + "\n    reloadInterval: 100ms\n";
    }

    private static TestPki.Issued certificate(KeyFormat format, String dn) throws Exception {
        KeyPair keys = null;
        if (format == KeyFormat.PKCS8_RSA || format == KeyFormat.PKCS1_RSA) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            keys = g.generateKeyPair();
        }
        return PKI.server(dn, PKI.intermediate, keys, "dns:localhost", "ip:127.0.0.1");
    }

    private static void write(Path dir, KeyFormat format, TestPki.Issued issued) throws Exception {
        if (format == KeyFormat.KEYSTORE) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", issued.keys().getPrivate(), "changeit".toCharArray(), issued.chain().toArray(new Certificate[0]));
            try (OutputStream out = Files.newOutputStream(dir.resolve("tls.p12"))) {
                ks.store(out, "changeit".toCharArray());
            }
            return;
        }
        Files.writeString(dir.resolve("tls.key"), keyPem(format, issued.keys()));
        Files.writeString(dir.resolve("tls.crt"), issued.pem());
    }

    private static String keyPem(KeyFormat format, KeyPair keys) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            if (format == KeyFormat.PKCS8_EC || format == KeyFormat.PKCS8_RSA) {
                pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));     // BEGIN PRIVATE KEY
            } else if (format == KeyFormat.SEC1_EC) {
                // BEGIN EC PRIVATE KEY with the curve named inside, as openssl writes it (RFC 5915 §3).
                var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
                var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
                var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
                pem.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } else {
                pem.writeObject(keys.getPrivate());                                 // BEGIN RSA PRIVATE KEY
            }
        }
        return text.toString();
    }

    /** The certificate a new handshake with the server shows. */
    private static X509Certificate served(int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) TestPki.trustAnyServer().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static X509Certificate awaitServed(int port, X509Certificate expected) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        X509Certificate seen = served(port);
        while (!seen.equals(expected) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            seen = served(port);
        }
        return seen;
    }
}
