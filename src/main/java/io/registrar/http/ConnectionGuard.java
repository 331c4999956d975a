package io.registrar.http;

import io.registrar.config.RegistrarConfig;
import io.registrar.throttle.SourceAddresses;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectableChannelEndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what one client can hold: a request must arrive whole within {@code requestTimeout}, and one
 * address may keep at most {@code maxPerAddress} connections open. Jetty's idle timeout alone does not
 * do the first: a client that sends one header byte every few seconds is never idle ("slowloris").
 * A sweep every {@link #SWEEP_MILLIS} looks at each HTTP/1.1 connection's parser: a connection whose
 * current request has been arriving for longer than the timeout (counting its TLS handshake for the
 * first request) is closed. The sweep costs nothing per request; requests in flight at the handler,
 * and kept-alive connections waiting between requests, are not touched (the idle timeout covers those).
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    static final long SWEEP_MILLIS = 500;
    private static final long LOG_EVERY_MILLIS = 10_000;

    /** What a sweep last saw of one connection: its request count, and since when it has been receiving. */
    private record Watch(long messagesIn, long receivingSince) {
        static final long IDLE = -1;
    }

    private final long requestTimeoutMillis;
    private final int maxPerAddress;
    /** Addresses not limited: server.trustedProxies. */
    private final Set<InetAddress> unlimited;
    private final Map<HttpConnection, Watch> watched = new ConcurrentHashMap<>();
    /** The address each counted network connection was opened from, so that closing it counts down. */
    private final Map<Connection, String> counted = new ConcurrentHashMap<>();
    /** Open connections by source address as the throttles count it: IPv6 by its /64 (SourceAddresses). */
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private final AtomicLong timedOutSinceLog = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong();
    private ScheduledExecutorService sweeper;

    ConnectionGuard(RegistrarConfig.Connections settings, Set<InetAddress> unlimited) {
        this.requestTimeoutMillis = settings.requestTimeout().toMillis();
        this.maxPerAddress = settings.maxPerAddress();
        this.unlimited = Set.copyOf(unlimited);
    }

    static ConnectionGuard of(RegistrarConfig.Server server) {
        return new ConnectionGuard(server.connections(), TrustedProxies.of(server));
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "registrar-connection-guard");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            watched.put(http, new Watch(0, http.getCreatedTimeStamp()));
        }
        EndPoint endPoint = connection.getEndPoint();
        if (maxPerAddress > 0 && endPoint instanceof SelectableChannelEndPoint) {
            InetAddress address = addressOf(endPoint.getRemoteSocketAddress());
            if (address == null || unlimited.contains(address)) {
                return;
            }
            String source = SourceAddresses.bucket(address.getHostAddress());
            counted.put(connection, source);
            int open = perAddress.merge(source, 1, Integer::sum);
            if (open > maxPerAddress) {
                refusedSinceLog.incrementAndGet();
                report();
                endPoint.close();
            }
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            watched.remove(http);
        }
        String source = counted.remove(connection);
        if (source != null) {
            perAddress.computeIfPresent(source, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    private void sweep() {
        try {
            long now = System.currentTimeMillis();
            watched.replaceAll((http, last) -> check(http, last, now));
            report();
        } catch (RuntimeException e) {
            log.warn("connection sweep failed", e);
        }
    }

    private Watch check(HttpConnection http, Watch last, long now) {
        long in = http.getMessagesIn();
        if (!receiving(http, in)) {
            return new Watch(in, Watch.IDLE);
        }
        long since = last.receivingSince() != Watch.IDLE && last.messagesIn() == in ? last.receivingSince() : now;
        if (now - since > requestTimeoutMillis) {
            timedOutSinceLog.incrementAndGet();
            http.getEndPoint().close();
        }
        return new Watch(in, since);
    }

    /**
     * Whether a request is still arriving: nothing has come whole yet on this connection (the TLS
     * handshake and the first request line count), or the parser is past the start of a request and
     * has not reached its end.
     */
    private static boolean receiving(HttpConnection http, long messagesIn) {
        if (messagesIn == 0) {
            return true;
        }
        HttpParser parser = http.getParser();
        return !parser.isStart() && (parser.inHeaderState() || parser.inContentState());
    }

    private void report() {
        long now = System.currentTimeMillis();
        long last = lastLog.get();
        if (now - last < LOG_EVERY_MILLIS || !lastLog.compareAndSet(last, now)) {
            return;
        }
        long refused = refusedSinceLog.getAndSet(0);
        long timedOut = timedOutSinceLog.getAndSet(0);
        if (refused > 0) {
            log.warn("closed {} connections from addresses already holding server.connections.maxPerAddress ({})",
                    refused, maxPerAddress);
        }
        if (timedOut > 0) {
            log.warn("closed {} connections whose request did not arrive within server.connections.requestTimeout ({} ms)",
                    timedOut, requestTimeoutMillis);
        }
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
