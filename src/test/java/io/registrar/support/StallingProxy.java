package io.registrar.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on localhost that can be made to stall, as a network partition does: while stalled it
 * accepts connections and reads what either side sends, but delivers nothing, and no side sees the
 * connection close. {@link #resume} then resets every connection that lived through the stall (what
 * was held is dropped, as the partition lost it) and forwards new connections normally again.
 */
public final class StallingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean stalled;

    private StallingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon(true).name("stalling-proxy").start(this::accept);
    }

    public static StallingProxy to(int targetPort) {
        try {
            return new StallingProxy(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen", e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    public void resume() {
        List<Socket> dropped;
        synchronized (gate) {
            // Connections opened before or during the stall are gone, as after a partition.
            dropped = List.copyOf(open);
            open.removeAll(dropped);
            stalled = false;
            gate.notifyAll();
        }
        dropped.forEach(StallingProxy::closeQuietly);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                Thread.ofVirtual().start(() -> pump(client, server));
                Thread.ofVirtual().start(() -> pump(server, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16_384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!awaitFlowing()) {
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: the other goes too, below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Holds the caller while stalled; false if a stall began meanwhile (its connection is to be dropped). */
    private boolean awaitFlowing() {
        synchronized (gate) {
            if (!stalled) {
                return true;
            }
            while (stalled) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        resume();
    }
}
