package io.registrar.http;

import io.registrar.config.ConfigException;
import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.KeyStores;
import io.registrar.crypto.PemKeyMaterial;
import io.registrar.crypto.SelfSignedCertificate;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server certificate of the TLS listeners: a key store file (PKCS12/JKS, or the self-signed one)
 * or a PEM certificate chain and private key. Every {@code reloadInterval} the files are read again;
 * when their content changed and makes a valid pair, every listener switches to it for new handshakes
 * (connections already open keep theirs), so a renewed certificate — an ACME client's, a Kubernetes
 * secret's — is served without a restart. A pair that is not valid yet (the certificate written, the key
 * not yet) is logged and left until the files are consistent; the old certificate is served meanwhile.
 */
final class TlsMaterial implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TlsMaterial.class);

    private final String description;
    private final List<Path> files;
    private final Loader loader;
    private final char[] password;
    private final List<SslContextFactory.Server> listeners = new CopyOnWriteArrayList<>();
    private volatile KeyStore current;
    private byte[] fingerprint;
    private byte[] refused;
    private ScheduledExecutorService watcher;

    /** Reads the files' content into a key store, or says what is wrong with it. */
    private interface Loader {
        KeyStore load(List<byte[]> contents, char[] password) throws Exception;
    }

    private TlsMaterial(String description, List<Path> files, Loader loader, char[] password, String key) {
        this.description = description;
        this.files = files;
        this.loader = loader;
        this.password = password;
        try {
            List<byte[]> contents = read();
            this.current = loader.load(contents, password);
            this.fingerprint = digest(contents);
        } catch (Exception e) {
            throw new ConfigException("configuration key '" + key + "': cannot use " + description + ": " + reason(e), e);
        }
    }

    /**
     * The listeners' certificate: the self-signed one in {@code dataDir} when server.tls.mode is
     * self-signed (or when only the separate mTLS listener needs one and none is configured), PEM files
     * when the mode is pem (or, for that mTLS listener, when they are set), else the configured key store.
     * Null when no listener needs one.
     */
    static TlsMaterial of(RegistrarConfig.Server server, Path dataDir) {
        RegistrarConfig.Tls tls = server.tls();
        boolean mtlsOnly = !tls.enabled() && server.mtls().separateListener();
        if ("self-signed".equals(tls.mode()) || mtlsOnly && !notBlank(tls.keystorePath()) && !notBlank(tls.certificatePath())) {
            SelfSignedCertificate selfSigned = SelfSignedCertificate.ensure(dataDir);
            return new TlsMaterial("the self-signed certificate " + selfSigned.certificateFile(),
                    List.of(selfSigned.certificateFile(), selfSigned.keyFile()), (contents, pw) -> SelfSignedCertificate.keyStore(contents.get(0), contents.get(1), pw),
                    randomPassword(), "storage.dataDir");
        }
        if ("pem".equals(tls.mode()) || mtlsOnly && !notBlank(tls.keystorePath())) {
            Path certificate = Path.of(tls.certificatePath());
            Path key = Path.of(tls.privateKeyPath());
            return new TlsMaterial(certificate + " and " + key, List.of(certificate, key),
                    (contents, pw) -> PemKeyMaterial.parse(new String(contents.get(0), StandardCharsets.US_ASCII),
                            new String(contents.get(1), StandardCharsets.US_ASCII)).keyStore(pw),
                    randomPassword(), "server.tls.certificatePath");
        }
        if (!tls.enabled() && !mtlsOnly) {
            return null;
        }
        String type = tls.keystoreType();
        return new TlsMaterial("the key store " + tls.keystorePath(), List.of(Path.of(tls.keystorePath())), (contents, pw) -> {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(new ByteArrayInputStream(contents.getFirst()), pw);
            return KeyStores.inMemoryCopy(ks, pw);
        }, String.valueOf(tls.keystorePassword()).toCharArray(), "server.tls.keystorePath");
    }

    /** The password of an in-memory key store that no file backs. */
    private static char[] randomPassword() {
        char[] password = new char[32];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        return password;
    }

    /** Gives a listener's SSL context factory the current certificate, and every later one. */
    SslContextFactory.Server configure(SslContextFactory.Server ssl) {
        ssl.setKeyStore(current);
        ssl.setKeyStorePassword(new String(password));
        listeners.add(ssl);
        return ssl;
    }

    /** Starts checking the files every {@code interval}; zero: never. */
    synchronized void watch(Duration interval) {
        if (interval == null || interval.isZero() || watcher != null) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registrar-tls-reload");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void reloadIfChanged() {
        List<byte[]> contents;
        try {
            contents = read();
        } catch (IOException e) {
            // Mid-rotation (a symlink swapped, a file replaced): read again next time.
            return;
        }
        byte[] now = digest(contents);
        if (Arrays.equals(now, fingerprint) || Arrays.equals(now, refused)) {
            return;
        }
        KeyStore next;
        try {
            next = loader.load(contents, password);
        } catch (Exception e) {
            refused = now;
            log.warn("TLS: {} changed but cannot be used ({}); still serving the previous certificate", description, reason(e));
            return;
        }
        for (SslContextFactory.Server ssl : listeners) {
            try {
                ssl.reload(f -> f.setKeyStore(next));
            } catch (Exception e) {
                refused = now;
                log.warn("TLS: reloading {} failed ({}); still serving the previous certificate", description, reason(e));
                return;
            }
        }
        current = next;
        fingerprint = now;
        refused = null;
        log.info("TLS: reloaded {}: now serving {}", description, leafOf(next));
    }

    private List<byte[]> read() throws IOException {
        List<byte[]> out = new java.util.ArrayList<>();
        for (Path f : files) {
            out.add(Files.readAllBytes(f));
        }
        return out;
    }

    private static byte[] digest(List<byte[]> contents) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] c : contents) {
                sha.update(c);
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String leafOf(KeyStore ks) {
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (isKey(ks, alias) && ks.getCertificate(alias) instanceof X509Certificate c) {
                    return c.getSubjectX500Principal().getName() + ", serial " + c.getSerialNumber().toString(16)
                            + ", valid until " + c.getNotAfter().toInstant();
                }
            }
        } catch (GeneralSecurityException e) {
            // described below
        }
        return "a certificate without a readable subject";
    }

    private static boolean isKey(KeyStore ks, String alias) {
        try {
            return ks.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String reason(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t instanceof java.nio.file.NoSuchFileException ? t.getMessage() + " does not exist"
                : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }
}
