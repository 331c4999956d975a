package io.registrar.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A jwks_uri on loopback (a client's, a directory's, a software's): serves whatever JWK Set the test
 * puts there, counts the fetches, and can stall before answering (a slow directory).
 */
public final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final String base;
    private final AtomicReference<String> body = new AtomicReference<>("{\"keys\":[]}");
    private final AtomicInteger fetches = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong stallMillis = new java.util.concurrent.atomic.AtomicLong();

    public JwksServer() {
        this("127.0.0.1", null);
    }

    /** On {@code address} (any loopback address, e.g. 127.0.0.2), over https with {@code tls} when it is not null. */
    public JwksServer(String address, javax.net.ssl.SSLContext tls) {
        try {
            if (tls == null) {
                server = HttpServer.create(new InetSocketAddress(address, 0), 0);
            } else {
                com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(address, 0), 0);
                https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        base = (tls == null ? "http://" : "https://") + address + ":" + server.getAddress().getPort();
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            long stall = stallMillis.get();
            if (stall > 0) {
                try {
                    Thread.sleep(stall);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        });
        // Each exchange on its own thread, so that a stalled one holds up no other.
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** From now on every answer comes {@code stall} late. */
    public void stall(java.time.Duration stall) {
        stallMillis.set(stall.toMillis());
    }

    public String url() {
        return base + "/jwks";
    }

    public void serve(String jwkSetJson) {
        body.set(jwkSetJson);
    }

    public int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
