package io.registrar.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

import java.util.List;

/**
 * The server's logging: one JSON object per line on stdout (Logback's JSON encoder) with the request
 * id from the MDC, at the level {@code REGISTRAR_LOG_LEVEL} names (INFO by default), the libraries at
 * WARN. Handlers never log headers or bodies, so secrets and tokens do not reach this output.
 *
 * <p>Set up in code, which Logback runs (a {@link Configurator} found by the service loader) before it
 * looks for a configuration file: reading a logback.xml with the JDK's XML parser loaded some 300
 * classes more on every cold start. A file named by {@code -Dlogback.configurationFile}, or a
 * {@code logback-test.xml} on the class path (the tests'), still replaces this.
 */
public final class JsonLogging extends ContextAwareBase implements Configurator {

    private static final List<String> QUIET_LIBRARIES = List.of("org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        boolean fileGiven = System.getProperty("logback.configurationFile") != null
                || JsonLogging.class.getClassLoader().getResource("logback-test.xml") != null;
        // As logback.xml's ${REGISTRAR_LOG_LEVEL} did: a system property, else the environment.
        return configure(context, fileGiven, System.getProperty("REGISTRAR_LOG_LEVEL", System.getenv("REGISTRAR_LOG_LEVEL")));
    }

    static ExecutionStatus configure(LoggerContext context, boolean fileGiven, String level) {
        if (fileGiven) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithFormattedMessage(true);
        encoder.setWithArguments(false);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(stdout);
        for (String library : QUIET_LIBRARIES) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
