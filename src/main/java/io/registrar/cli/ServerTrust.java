package io.registrar.cli;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.Pem;
import io.registrar.crypto.SelfSignedCertificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The CLI's trust: the server's own certificate as the configuration names it (the demo's self-signed
 * one, a PEM chain, a key store), and else the JDK's trusted CAs. The JDK's are loaded only when the server's own
 * certificate does not verify the peer: parsing its ~150 CAs is a good part of a short command's
 * run, and a CLI pointed at its own server never needs them.
 */
final class ServerTrust {

    private ServerTrust() {
    }

    static SSLContext sslContext(RegistrarConfig config) {
        try {
            KeyStore own = ownCertificates(config);
            X509ExtendedTrustManager first = own == null ? null : trustManager(own);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[]{new OwnThenJdk(first)}, null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new ClientsCommand.AdminApi.Refused("cannot read the server's certificate: " + e.getMessage());
        }
    }

    /**
     * The server's own certificates: the self-signed one, the PEM chain, or those of the key store the
     * configuration names; null when none can be read here.
     */
    private static KeyStore ownCertificates(RegistrarConfig config) throws GeneralSecurityException, IOException {
        RegistrarConfig.Tls tls = config.server().tls();
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int n = 0;
        if ("self-signed".equals(tls.mode())) {
            Path pem = SelfSignedCertificate.in(Path.of(config.storage().dataDir())).certificateFile();
            if (Files.isReadable(pem)) {
                n = add(anchors, pem);
            }
        } else if ("pem".equals(tls.mode())) {
            // The whole chain: a private CA's intermediate verifies the leaf as well as the leaf itself.
            if (Files.isReadable(Path.of(tls.certificatePath()))) {
                n = add(anchors, Path.of(tls.certificatePath()));
            }
        } else if (tls.keystorePath() != null && !tls.keystorePath().isBlank() && Files.isReadable(Path.of(tls.keystorePath()))) {
            KeyStore ks = KeyStore.getInstance(tls.keystoreType());
            try (InputStream in = Files.newInputStream(Path.of(tls.keystorePath()))) {
                ks.load(in, String.valueOf(tls.keystorePassword()).toCharArray());
            }
            for (var aliases = ks.aliases(); aliases.hasMoreElements(); ) {
                if (ks.getCertificate(aliases.nextElement()) instanceof X509Certificate c) {
                    anchors.setCertificateEntry("server-" + n++, c);
                }
            }
        }
        return n == 0 ? null : anchors;
    }

    /**
     * The CERTIFICATE blocks of a PEM file, and only those: a combined file may also hold the key
     * (the server reads such files), which the JDK's certificate parser would refuse whole.
     */
    private static int add(KeyStore anchors, Path pem) throws GeneralSecurityException, IOException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        int n = 0;
        for (byte[] der : Pem.blocks(Files.readString(pem, java.nio.charset.StandardCharsets.US_ASCII), "CERTIFICATE")) {
            anchors.setCertificateEntry("server-" + n++, factory.generateCertificate(new java.io.ByteArrayInputStream(der)));
        }
        return n;
    }

    /** The PKIX trust manager over {@code anchors}; null: the JDK's CAs. It checks the host name too. */
    private static X509ExtendedTrustManager trustManager(KeyStore anchors) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Verifies with the server's own certificate first, then with the JDK's CAs (loaded on first need). */
    private static final class OwnThenJdk extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager own;
        private X509ExtendedTrustManager jdk;

        OwnThenJdk(X509ExtendedTrustManager own) {
            this.own = own;
        }

        private synchronized X509ExtendedTrustManager jdk() throws CertificateException {
            if (jdk == null) {
                try {
                    jdk = trustManager(null);
                } catch (GeneralSecurityException e) {
                    throw new CertificateException("cannot load the JDK's trusted CAs", e);
                }
            }
            return jdk;
        }

        @FunctionalInterface
        private interface Check {
            void check(X509ExtendedTrustManager tm) throws CertificateException;
        }

        private void either(Check check) throws CertificateException {
            if (own != null) {
                try {
                    check.check(own);
                    return;
                } catch (CertificateException notOurs) {
                    // a server with a certificate from a public CA
                }
            }
            check.check(jdk());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(tm -> tm.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("the CLI does not accept client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the CLI does not accept client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the CLI does not accept client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            // Asked for by servers that request a client certificate; the CLI presents none.
            return new X509Certificate[0];
        }
    }
}
