package io.registrar.outbound;

import io.registrar.config.RegistrarConfig;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one HTTP client for every URL the server fetches. Connect and whole-exchange timeouts, a cap on
 * the response size, no redirects (a redirect could lead anywhere), https only unless configured, and
 * the {@link AddressGuard} applied in the resolver, so the address checked is the address connected to
 * (no window for DNS rebinding between check and connect). Started on first use: most deployments
 * never fetch anything.
 */
public final class OutboundHttp implements AutoCloseable {

    private final RegistrarConfig.Outbound config;
    private final AddressGuard guard;
    /** The trust anchors for https fetches: null for the JDK's own, else outbound.trustStore's (and the JDK's). */
    private final javax.net.ssl.SSLContext tls;
    private HttpClient client;
    /** Clients with a trust store of their own ({@link #trusting}), closed with this one. */
    private final List<OutboundHttp> children = new ArrayList<>();

    /** @throws io.registrar.config.ConfigException when outbound.trustStore cannot be read */
    public OutboundHttp(RegistrarConfig.Outbound config) {
        this.config = config;
        this.guard = AddressGuard.of(config);
        this.tls = TrustStore.sslContext(config);
    }

    /**
     * A client with the same limits and guard that trusts, for https, only the CAs of the PEM file
     * {@code trustStore} (a directory whose keys are served under a private CA). Closed with this one.
     *
     * @throws io.registrar.config.ConfigException when the file cannot be read
     */
    public synchronized OutboundHttp trusting(String trustStore) {
        RegistrarConfig.Outbound o = config;
        OutboundHttp child = new OutboundHttp(new RegistrarConfig.Outbound(o.connectTimeout(), o.readTimeout(), o.maxResponseBytes(),
                o.allowHttp(), o.allowPrivateAddresses(), o.allowedAddresses(), o.deniedAddresses(), trustStore, "replace",
                o.jwksCacheLifetime(), o.jwksRefetchFloor()));
        children.add(child);
        return child;
    }

    /**
     * What can be checked without a network: an absolute URL with an allowed scheme and, when its
     * host is an address literal, an allowed address. Registration calls this so that a client learns
     * at once that its jwks_uri will never be fetched.
     */
    public void checkUrl(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("https".equals(scheme) || ("http".equals(scheme) && config.allowHttp()))) {
            throw new OutboundException(uri + " must be an https URL");
        }
        // java.net.URI finds no host in 127.1 or 2130706433 (a top label must not start with a digit);
        // other parsers find an IPv4 address there, so the authority is judged too.
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority().replaceFirst("^.*@", "").replaceFirst(":[0-9]*$", "");
        String host = uri.getHost() != null ? uri.getHost() : authority;
        if (AMBIGUOUS_IPV4.matcher(host).matches() && !CANONICAL_IPV4.matcher(host).matches()) {
            // 0177.0.0.1 is 127.0.0.1 to inet_aton and curl, 177.0.0.1 to Java: a check and a fetch by
            // different parsers must never disagree, so only four plain decimals are an address.
            throw new OutboundException(uri + " writes its IPv4 address in a form parsers read differently "
                    + "(leading zeros, hexadecimal, fewer than four parts); use four decimal numbers");
        }
        if (uri.getHost() == null || host.isEmpty()) {
            throw new OutboundException(uri + " has no host");
        }
        if (isAddressLiteral(host)) {
            try {
                String refusal = guard.refusal(InetAddress.getByName(host));
                if (refusal != null) {
                    throw new OutboundException(uri + " is refused: " + refusal);
                }
            } catch (UnknownHostException e) {
                throw new OutboundException(uri + " has an invalid address", e);
            }
        }
        if (uri.getRawUserInfo() != null) {
            throw new OutboundException(uri + " must not carry user information");
        }
    }

    /** GETs {@code uri} and returns the body of a 200 response. */
    public byte[] get(URI uri, String accept) {
        checkUrl(uri);
        Request request = client().newRequest(uri)
                .headers(h -> h.put("Accept", accept))
                .timeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ContentResponse response;
        try {
            response = new CompletableResponseListener(request, config.maxResponseBytes()).send()
                    .get(config.readTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboundException("fetching " + uri + " was interrupted", e);
        } catch (TimeoutException e) {
            throw new OutboundException("fetching " + uri + " timed out", e);
        } catch (ExecutionException e) {
            throw new OutboundException("fetching " + uri + " failed: " + describe(e.getCause()), e.getCause());
        }
        if (response.getStatus() != 200) {
            throw new OutboundException(uri + " answered HTTP " + response.getStatus());
        }
        return response.getContent();
    }

    private String describe(Throwable t) {
        if (t instanceof OutboundException o) {
            return o.getMessage();
        }
        if (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).contains("capacity")) {
            return "the response is larger than " + config.maxResponseBytes() + " bytes";
        }
        if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
            return "timed out";
        }
        if (t instanceof UnknownHostException) {
            return "unknown host";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private synchronized HttpClient client() {
        if (client == null) {
            org.eclipse.jetty.io.ClientConnector connector = new org.eclipse.jetty.io.ClientConnector();
            org.eclipse.jetty.util.ssl.SslContextFactory.Client ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Client();
            if (tls != null) {
                ssl.setSslContext(tls);
            }
            connector.setSslContextFactory(ssl);
            HttpClient c = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
            c.setExecutor(new VirtualThreadPool());
            c.setConnectTimeout(config.connectTimeout().toMillis());
            c.setIdleTimeout(config.readTimeout().toMillis());
            c.setFollowRedirects(false);
            c.setSocketAddressResolver(new GuardedResolver(guard));
            c.setUserAgentField(new org.eclipse.jetty.http.HttpField("User-Agent", "Registrar"));
            try {
                c.start();
            } catch (Exception e) {
                throw new OutboundException("cannot start the outbound HTTP client", e);
            }
            client = c;
        }
        return client;
    }

    @Override
    public synchronized void close() {
        children.forEach(OutboundHttp::close);
        if (client != null) {
            try {
                client.stop();
            } catch (Exception ignored) {
                // closing anyway
            }
            client = null;
        }
    }

    /** A host made of numbers only (decimal, octal-looking or hexadecimal), that some parser reads as IPv4. */
    private static final java.util.regex.Pattern AMBIGUOUS_IPV4 =
            java.util.regex.Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");
    private static final java.util.regex.Pattern CANONICAL_IPV4 =
            java.util.regex.Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private static boolean isAddressLiteral(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+");
    }

    /** Resolves, then keeps only addresses the guard allows; none left fails the connection. */
    private record GuardedResolver(AddressGuard guard) implements SocketAddressResolver {
        @Override
        public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
            Thread.ofVirtual().name("registrar-outbound-resolve").start(() -> {
                try {
                    List<InetSocketAddress> allowed = new ArrayList<>();
                    String refusal = null;
                    for (InetAddress a : InetAddress.getAllByName(host)) {
                        String r = guard.refusal(a);
                        if (r == null) {
                            allowed.add(new InetSocketAddress(a, port));
                        } else if (refusal == null) {
                            refusal = r;
                        }
                    }
                    if (allowed.isEmpty()) {
                        promise.failed(new OutboundException(host + " resolves only to refused addresses: " + refusal));
                    } else {
                        promise.succeeded(allowed);
                    }
                } catch (UnknownHostException e) {
                    promise.failed(e);
                }
            });
        }
    }
}
