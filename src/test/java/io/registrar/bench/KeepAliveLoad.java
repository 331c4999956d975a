package io.registrar.bench;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The load generator for what wrk cannot do: wrk 4.1 (Debian's) speaks TLS but has no option for a
 * client certificate. It drives the server the way wrk does, closed-loop: each of {@code connections}
 * keep-alive connections sends one request, reads the whole response and sends the next, so the TLS
 * handshake (with the client certificate) happens once per connection per run, not per request.
 * Latency runs from the request's first byte written to the response's last byte read. Blocking
 * sockets on one platform thread per connection: the JDK's HttpClient would add its own scheduling
 * and a second copy of every body to what is measured. Runs in the benchmark's JVM, on the same cores
 * as the server, like wrk.
 */
final class KeepAliveLoad {

    /**
     * One run: completed requests, their rate, p50/p99, the non-2xx count and the first such response,
     * and how many connections (so handshakes) it took: {@code connections} unless the server closed some.
     */
    record Run(long requests, double perSecond, double p50ms, double p99ms, long errors, String firstError, long opened) {
    }

    private final String host;
    private final int port;
    /** null: plain HTTP. */
    private final SSLSocketFactory tls;
    private final byte[] request;
    private final int connections;

    /** {@code request}: the whole HTTP/1.1 request, sent unchanged each time. */
    KeepAliveLoad(String host, int port, SSLSocketFactory tls, byte[] request, int connections) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.request = request.clone();
        this.connections = connections;
    }

    /** A POST of a JSON body, with a bearer token unless {@code bearer} is null. */
    static byte[] postJson(String host, int port, String path, String bearer, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
                + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /**
     * TLS presenting the certificate chain in {@code chainPem} (leaf first) with the PKCS#8 key in
     * {@code keyPem}. The server's certificate is not checked: it is the benchmark's own server on
     * 127.0.0.1, and the handshake's cost is the same either way.
     */
    static SSLSocketFactory clientCertificateTls(Path chainPem, Path keyPem) throws Exception {
        List<Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(chainPem)) {
            chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        String pem = Files.readString(keyPem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s", "");
        PrivateKey key = KeyFactory.getInstance(((X509Certificate) chain.getFirst()).getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "bench".toCharArray();
        store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(keys.getKeyManagers(), new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ssl.getSocketFactory();
    }

    /** One request on a connection of its own: the status line and body, to check a scenario before it is measured. */
    String once() throws IOException {
        try (Connection c = new Connection()) {
            Response r = c.exchange();
            return r.text();
        }
    }

    Run run(int seconds) throws Exception {
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Future<Worker>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(connections)) {
            for (int i = 0; i < connections; i++) {
                futures.add(pool.submit(() -> new Worker().until(deadline)));
            }
            List<Worker> workers = new ArrayList<>();
            for (Future<Worker> f : futures) {
                workers.add(f.get());
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] sorted = workers.stream().flatMapToLong(w -> Arrays.stream(w.samples, 0, w.count)).sorted().toArray();
            long errors = workers.stream().mapToLong(w -> w.errors).sum();
            String firstError = workers.stream().map(w -> w.firstError).filter(e -> e != null).findFirst().orElse(null);
            return new Run(sorted.length, sorted.length / elapsed, percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6,
                    errors, firstError, workers.stream().mapToLong(w -> w.opened).sum());
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** One connection's loop; a connection the server closes is reopened, as wrk does. */
    private final class Worker {
        long[] samples = new long[1 << 14];
        int count;
        long errors;
        String firstError;
        long opened = 1;

        Worker until(long deadline) throws IOException {
            Connection c = new Connection();
            try {
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    Response r = c.exchange();
                    long took = System.nanoTime() - t0;
                    if (count == samples.length) {
                        samples = Arrays.copyOf(samples, count * 2);
                    }
                    samples[count++] = took;
                    if (r.status < 200 || r.status > 299) {
                        errors++;
                        if (firstError == null) {
                            firstError = r.text();
                        }
                    }
                    if (r.close) {
                        c.close();
                        c = new Connection();
                        opened++;
                    }
                }
            } finally {
                c.close();
            }
            return this;
        }
    }

    /** The body stays bytes: only a refusal's is ever read. */
    private record Response(int status, byte[] body, boolean close) {
        String text() {
            return status + " " + new String(body, StandardCharsets.UTF_8);
        }
    }

    private final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection() throws IOException {
            socket = tls == null ? new Socket(host, port) : tls.createSocket(host, port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        Response exchange() throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.1 response: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> close = value.contains("close");
                    default -> {
                    }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes((int) size));
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                body.write(in.readNBytes((int) length));
            } else {
                body.write(in.readAllBytes());
                close = true;
            }
            return new Response(status, body.toByteArray(), close);
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (b != '\r') {
                    s.append((char) b);
                }
            }
            return s.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
