package io.registrar.outbound;

import io.registrar.config.ConfigException;
import io.registrar.config.RegistrarConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The trust anchors of outbound https fetches: {@code outbound.trustStore}, a PEM bundle (an internal
 * CA, a partner directory's), added to the JDK's CAs or replacing them ({@code outbound.trustStoreMode}).
 */
final class TrustStore {

    private TrustStore() {
    }

    /** Null when the JDK's defaults apply (no trust store configured). */
    static SSLContext sslContext(RegistrarConfig.Outbound config) {
        String path = config.trustStore();
        if (path == null || path.isBlank()) {
            return null;
        }
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate c : read(Path.of(path))) {
                anchors.setCertificateEntry("configured-" + n++, c);
            }
            if (!"replace".equals(config.trustStoreMode())) {
                TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                jdk.init((KeyStore) null);
                for (var tm : jdk.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        for (X509Certificate c : x.getAcceptedIssuers()) {
                            anchors.setCertificateEntry("jdk-" + n++, c);
                        }
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("configuration key 'outbound.trustStore': cannot read CA certificates from " + path + ": "
                    + e.getMessage(), e);
        }
    }

    /** Every certificate of a PEM bundle (text between the blocks, as in the system bundles, is skipped). */
    static List<X509Certificate> read(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN CERTIFICATE-----", from);
            if (begin < 0) {
                break;
            }
            int end = text.indexOf("-----END CERTIFICATE-----", begin);
            if (end < 0) {
                throw new GeneralSecurityException("a certificate block has no END line");
            }
            from = end + "-----END CERTIFICATE-----".length();
            try (InputStream in = new java.io.ByteArrayInputStream(
                    text.substring(begin, from).getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                Collection<? extends Certificate> certs = cf.generateCertificates(in);
                certs.forEach(c -> out.add((X509Certificate) c));
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
        }
        return out;
    }
}
