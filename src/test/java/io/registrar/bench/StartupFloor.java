package io.registrar.bench;

import io.javalin.Javalin;
import io.registrar.crypto.SelfSignedCertificate;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The start-up floor the benchmark compares {@code ./registrar demo} with: the same HTTP stack
 * (Javalin on Jetty) answering one route over TLS with the demo's certificate, and nothing else: no
 * configuration, database, command line or modules. Run by {@link Benchmark} with the server's JVM
 * flags and an AOT cache of its own, so that the figure says what any server on this stack, JVM and
 * machine needs before its first 200 in the same hour.
 * <p>
 * {@code StartupFloor PORT CERTIFICATE_PEM KEY_PEM}
 */
public final class StartupFloor {

    private StartupFloor() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        char[] password = "floor".toCharArray();
        var keyStore = SelfSignedCertificate.keyStore(Files.readAllBytes(Path.of(args[1])), Files.readAllBytes(Path.of(args[2])), password);
        Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.jetty.addConnector((server, httpConfig) -> {
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setKeyStore(keyStore);
                ssl.setKeyStorePassword(new String(password));
                HttpConfiguration https = new HttpConfiguration(httpConfig);
                https.addCustomizer(new SecureRequestCustomizer(false));
                ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                        new HttpConnectionFactory(https));
                connector.setHost("127.0.0.1");
                connector.setPort(port);
                return connector;
            });
            c.routes.get("/health/ready", ctx -> ctx.result("ready"));
        }).start("127.0.0.1", 0);
    }
}
