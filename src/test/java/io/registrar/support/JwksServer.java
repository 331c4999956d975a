package io.registrar.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A client's jwks_uri on loopback: serves whatever JWK Set the test puts there and counts the fetches. */
public final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final String base;
    private final AtomicReference<String> body = new AtomicReference<>("{\"keys\":[]}");
    private final AtomicInteger fetches = new AtomicInteger();

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
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
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
