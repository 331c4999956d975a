package io.registrar.http;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.registrar.config.RegistrarConfig;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The HTTP edge: Javalin 7 on Jetty 12 with virtual threads. Routes exist only for enabled
 * features (the same configuration builds the discovery document). Every request gets a request
 * id (echoed as {@code X-Request-Id}, in every log line through the MDC) and one access-log line;
 * nothing from headers or bodies is logged, so no secret or token reaches the log.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final Logger access = LoggerFactory.getLogger("registrar.access");
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String REQUEST_ID = "request_id";

    private final Javalin app;
    private final boolean tls;
    /** The server certificate of the TLS listeners, reloaded when its files change; null without TLS. */
    private final TlsMaterial certificate;
    private volatile Api api;
    private volatile boolean draining;

    private final ServerConnector[] mtlsConnector = new ServerConnector[1];

    private static final java.util.regex.Pattern MALFORMED_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private HttpServer(RegistrarConfig config, List<Route> routes) {
        RegistrarConfig.Server server = config.server();
        RegistrarConfig.Mtls mtls = server.mtls();
        this.tls = server.tls().enabled();
        this.certificate = TlsMaterial.of(server, Path.of(config.storage().dataDir()));
        CertificateSource certificates = new CertificateSource(server);
        RegistrationHandler registration = new RegistrationHandler(this::api, certificates, server);
        ClientConfigurationHandler management = new ClientConfigurationHandler(this::api, certificates);
        TokenHandler token = new TokenHandler(this::api, certificates, server);
        DiscoveryHandler discovery = new DiscoveryHandler(this::api);
        BrowserHandler browser = new BrowserHandler(this::api, server);
        UserInfoHandler userInfo = new UserInfoHandler(this::api, certificates);
        AdminHandler admin = new AdminHandler(this::api, certificates);
        HealthHandler health = new HealthHandler(() -> api == null ? unavailableApi() : api);
        ConnectionGuard guard = ConnectionGuard.of(server);

        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.concurrency.useVirtualThreads = true;
            c.http.maxRequestSize = server.maxRequestBytes();
            c.http.prefer405over404 = true;
            // No response compression: answers carry secrets and tokens next to values the client
            // sent (client_name, redirect_uris…), the BREACH setting, and are small anyway.
            c.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            // Allocated per response; bodies are 1-3 KiB, and the 32 KiB default was half of all
            // allocation under load (docs/benchmarks.md, "HTTP and JVM").
            c.http.responseBufferSize = 4096;
            c.jetty.host = server.host();
            c.jetty.port = server.port();
            c.jetty.modifyServer(s -> {
                // server.connections.max, across every listener: at the cap Jetty stops accepting.
                s.addBean(new org.eclipse.jetty.server.NetworkConnectionLimit(server.connections().max(), s));
                s.addBean(guard);
                // On stop, Jetty stops accepting and gives requests in flight this long to finish
                // (OperabilityIT.shutdownFinishesTheRequestInFlight).
                s.setStopTimeout(server.shutdownGrace().toMillis());
                s.setErrorHandler(new JettyErrorHandler());
            });
            // The main listener: TLS (asking for a client certificate when mTLS is served here), or
            // plain behind a TLS-terminating proxy.
            c.jetty.addConnector((s, httpConfig) -> guarded(tls
                    ? tlsConnector(s, httpConfig, server.host(), server.port(), certificate,
                            mtls.enabled() && !mtls.separateListener())
                    : plainConnector(s, httpConfig, server.host(), server.port()), guard, server.connections()));
            if (mtls.separateListener()) {
                // RFC 8705 §5: a listener of its own for client certificates, advertised through
                // mtls_endpoint_aliases, so that browsers on the main one are never asked for one.
                c.jetty.addConnector((s, httpConfig) -> mtlsConnector[0] = guarded(tlsConnector(s, httpConfig, server.host(),
                        mtls.port(), certificate, true), guard, server.connections()));
            }
            c.requestLogger.http((ctx, ms) -> {
                access.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms));
                MDC.remove(REQUEST_ID);
            });

            var r = c.routes;
            r.before(ctx -> {
                String incoming = ctx.header("X-Request-Id");
                String id = incoming != null && SAFE_REQUEST_ID.matcher(incoming).matches() ? incoming : newRequestId();
                MDC.put(REQUEST_ID, id);
                ctx.header("X-Request-Id", id);
                // RFC 3986 §2.1: '%' starts two hex digits. Javalin decodes path parameters before any
                // handler runs and fails on a malformed escape; that is the client's error, not ours.
                if (MALFORMED_ESCAPE.matcher(ctx.req().getRequestURI()).find()) {
                    throw OAuthException.invalidRequest("The request path has a malformed percent-encoding");
                }
            });
            for (Route route : routes) {
                io.javalin.http.Handler handler = switch (route.action()) {
                    case LIVENESS -> health::live;
                    case READINESS -> ctx -> health.ready(ctx, draining);
                    case SERVER_METADATA -> discovery::metadata;
                    case JWKS -> discovery::jwks;
                    case TOKEN -> token::token;
                    case INTROSPECT -> token::introspect;
                    case REVOKE -> token::revoke;
                    case AUTHORIZE -> browser::authorize;
                    case PUSHED_AUTHORIZATION_REQUEST -> token::pushAuthorizationRequest;
                    case LOGIN -> browser::login;
                    case END_SESSION -> browser::logout;
                    case USERINFO -> userInfo::userInfo;
                    case REGISTER -> registration::register;
                    case READ_CLIENT -> management::read;
                    case UPDATE_CLIENT -> management::update;
                    case DELETE_CLIENT -> management::delete;
                    case ADMIN_CLIENTS_OF_USER -> admin::clientsOfUser;
                    case ADMIN_CLIENT -> admin::client;
                    case ADMIN_REVOKE_CLIENT -> admin::revoke;
                    case ADMIN_ENABLE_CLIENT -> admin::enable;
                    case ADMIN_TEMPLATES -> admin::templates;
                    case ADMIN_TEMPLATE -> admin::template;
                    case ADMIN_SAVE_TEMPLATE -> admin::saveTemplate;
                    case ADMIN_BACKUP -> admin::backup;
                    case ADMIN_PROFILES -> admin::profiles;
                    case ADMIN_EXPLAIN -> admin::explain;
                };
                var unused = switch (route.method()) {
                    case GET -> r.get(route.path(), handler);
                    case POST -> r.post(route.path(), handler);
                    case PUT -> r.put(route.path(), handler);
                    case DELETE -> r.delete(route.path(), handler);
                };
            }

            r.exception(OAuthException.class, (e, ctx) -> ErrorWriter.write(ctx, e));
            r.exception(HttpResponseException.class, (e, ctx) -> ErrorWriter.write(ctx, e));
            r.exception(Exception.class, (e, ctx) -> ErrorWriter.unexpected(ctx, e));
            r.error(HttpStatus.NOT_FOUND.getCode(), "*", ctx -> {
                if (ctx.result() == null) {
                    ErrorWriter.write(ctx, OAuthException.of(OAuthError.NOT_FOUND, "No such endpoint"));
                }
            });
            r.error(HttpStatus.METHOD_NOT_ALLOWED.getCode(), "*", ctx -> {
                if (ctx.result() == null) {
                    ErrorWriter.write(ctx, OAuthException.of(OAuthError.METHOD_NOT_ALLOWED, "Method not allowed on this endpoint"));
                }
            });
        });
    }

    /** Every listener: server.connections' idle timeout, and the guard watching its connections. */
    private static ServerConnector guarded(ServerConnector connector, ConnectionGuard guard, RegistrarConfig.Connections limits) {
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        // Unmanaged here: the server owns the guard's life cycle; the connector only hands it its connections.
        connector.addBean(guard, false);
        return connector;
    }

    private static ServerConnector plainConnector(org.eclipse.jetty.server.Server s, HttpConfiguration httpConfig,
                                                  String host, int port) {
        ServerConnector connector = new ServerConnector(s, new HttpConnectionFactory(httpConfig));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /**
     * A TLS listener. With {@code askForClientCertificate} it requests a certificate without requiring
     * one, and accepts whatever is presented: a self-signed certificate is a valid credential
     * (self_signed_tls_client_auth), so the chain is judged per client by clientauth, not by the handshake.
     */
    private static ServerConnector tlsConnector(org.eclipse.jetty.server.Server s, HttpConfiguration httpConfig, String host,
                                                int port, TlsMaterial certificate, boolean askForClientCertificate) {
        SslContextFactory.Server ssl = certificate.configure(
                new ListenerTrust(askForClientCertificate));
        if (askForClientCertificate) {
            ssl.setWantClientAuth(true);
        }
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        https.addCustomizer(src);
        ServerConnector connector = new ServerConnector(s, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /**
     * The listener's trust, which never uses trust anchors. Asking for client certificates, it accepts
     * any in the handshake and names no acceptable issuers in the CertificateRequest (RFC 8446 §4.3.2
     * certificate_authorities): clients then present their certificate whoever issued it, and clientauth
     * judges it per client. (Jetty's trust-all would still advertise the key store's own certificate as
     * the only acceptable issuer, and clients would send nothing.) Not asking, it refuses any; and in
     * both cases Jetty does not parse the JDK's ~150 CA certificates on every start.
     */
    private static final class ListenerTrust extends SslContextFactory.Server {
        private final javax.net.ssl.X509TrustManager trust;

        ListenerTrust(boolean acceptAnyClientCertificate) {
            this.trust = new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
                        throws java.security.cert.CertificateException {
                    if (!acceptAnyClientCertificate) {
                        throw new java.security.cert.CertificateException("this listener does not take client certificates");
                    }
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
                        throws java.security.cert.CertificateException {
                    throw new java.security.cert.CertificateException("a server listener does not check servers");
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            };
        }

        @Override
        protected javax.net.ssl.TrustManager[] getTrustManagers(java.security.KeyStore trustStore,
                                                                java.util.Collection<? extends java.security.cert.CRL> crls) {
            return new javax.net.ssl.TrustManager[]{trust};
        }
    }

    /** Starts listening on the modules' routes; requests are answered 503 until {@link #bind(Api)}. */
    public static HttpServer start(RegistrarConfig config, List<Route> routes) {
        HttpServer s = new HttpServer(config, routes);
        s.app.start();
        if (s.certificate != null) {
            s.certificate.watch(config.server().tls().reloadInterval());
        }
        return s;
    }

    public void bind(Api api) {
        this.api = api;
    }

    public int port() {
        return app.port();
    }

    /** The port of the separate mTLS listener, or -1 when there is none. */
    public int mtlsPort() {
        return mtlsConnector[0] == null ? -1 : mtlsConnector[0].getLocalPort();
    }

    public String scheme() {
        return tls ? "https" : "http";
    }

    /** Readiness turns 503 first, so a load balancer stops sending before the listener closes. */
    public void drain() {
        draining = true;
    }

    @Override
    public void close() {
        draining = true;
        app.stop();
        if (certificate != null) {
            certificate.close();
        }
    }

    private Api api() {
        Api a = api;
        if (a == null) {
            throw OAuthException.of(OAuthError.TEMPORARILY_UNAVAILABLE, "The server is starting");
        }
        return a;
    }

    private static Api unavailableApi() {
        return new Api(null, null, null, null, null, null, null, null, null, null, null, null,
                () -> io.registrar.health.Readiness.Status.notReady("starting: the database is not open yet"));
    }

    /**
     * A version-4 UUID from ThreadLocalRandom. A request id has to be unique, not unguessable, and
     * UUID.randomUUID() draws from the shared, locked SecureRandom on every request.
     */
    static String newRequestId() {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
