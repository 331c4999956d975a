package io.registrar.cli;

import io.registrar.Registrar;
import io.registrar.config.ConfigException;
import io.registrar.config.RegistrarConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** What {@code serve} and {@code demo} share: load the configuration, check the ports, start, stop on SIGTERM. */
abstract class ServerCommand extends MainSubcommand {

    abstract boolean demo();

    /**
     * Starts a daemon thread that builds, ahead of {@link Registrar#start}, what every start needs and
     * takes long on a cold JVM: logging and the configuration binder, so that this work overlaps with
     * parsing instead of following it. Here rather than on {@link Registrar}, whose static logger would
     * set logging up on the calling thread before the warm-up thread could start. Nothing it does is
     * required: a failure only leaves the work to the start itself.
     */
    static void warmUpInBackground() {
        Thread.ofPlatform().daemon().name("registrar-warm-up").start(() -> {
            try {
                LoggerFactory.getILoggerFactory();
                io.registrar.config.ConfigLoader.warmUp();
            } catch (RuntimeException | LinkageError e) {
                // the start does the same work and reports what fails
            }
        });
    }

    abstract Path configFile();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        RegistrarConfig config;
        try {
            config = main.configs.load(demo(), configFile());
        } catch (ConfigException e) {
            err.println("registrar: " + e.getMessage());
            return Main.USAGE;
        }
        long started = System.nanoTime();
        Registrar registrar;
        try {
            // Before Jetty tries: its failure is a logged error and a stack trace, this is one line.
            checkPortsFree(config);
            registrar = Registrar.start(config);
        } catch (PortInUse e) {
            err.println("registrar: " + e.getMessage());
            return Main.FAILED;
        } catch (ConfigException e) {
            err.println("registrar: " + e.getMessage());
            return Main.USAGE;
        } catch (RuntimeException e) {
            if (causedBy(e, BindException.class)) {
                // Taken between the check and the start: say which one is taken now, if it still is.
                try {
                    checkPortsFree(config);
                } catch (PortInUse taken) {
                    err.println("registrar: " + taken.getMessage());
                    return Main.FAILED;
                }
                err.println("registrar: a port is already in use (server.port or server.mtls.port): " + e.getMessage());
                return Main.FAILED;
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(registrar::close, "registrar-shutdown"));
        // Not a static logger: the logging set-up would then run for every command's --help.
        Logger log = LoggerFactory.getLogger(ServerCommand.class);
        log.info("started in {} ms", (System.nanoTime() - started) / 1_000_000);
        if (demo()) {
            DemoBanner.print(registrar.issuer(), config, spec.commandLine().getOut());
        }
        main.serving = true;
        return Main.OK;
    }

    /** Each fixed port the server will listen on, by the configuration key that sets it. */
    static void checkPortsFree(RegistrarConfig config) {
        RegistrarConfig.Server server = config.server();
        checkPortFree(server.host(), server.port(), "server.port");
        if (server.mtls().separateListener()) {
            checkPortFree(server.host(), server.mtls().port(), "server.mtls.port");
        }
    }

    private static void checkPortFree(String host, int port, String key) {
        if (port <= 0) {
            return; // 0: any free port
        }
        InetSocketAddress address = host == null || host.isBlank() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        try (ServerSocket probe = new ServerSocket()) {
            // As Jetty binds: a port left in TIME_WAIT by a stopped server is free.
            probe.setReuseAddress(true);
            probe.bind(address);
        } catch (BindException e) {
            throw new PortInUse("port " + port + " on " + (host == null || host.isBlank() ? "*" : host)
                    + " is already in use; stop what uses it or set " + key + " (environment: REGISTRAR_"
                    + key.toUpperCase(java.util.Locale.ROOT).replace(".", "__") + ") to a free port");
        } catch (IOException e) {
            // Anything else (an address this machine does not have) is Jetty's to report.
        }
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return causedBy(e, type, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /** Along causes and suppressed exceptions, each seen once: a chain may hold a cycle (H2's does when its file is locked). */
    private static boolean causedBy(Throwable e, Class<? extends Throwable> type, Set<Throwable> seen) {
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (causedBy(s, type, seen)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final class PortInUse extends RuntimeException {
        PortInUse(String message) {
            super(message, null, false, false);
        }
    }
}
