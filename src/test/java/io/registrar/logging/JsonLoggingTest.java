package io.registrar.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's log lines: what they hold, at which levels, and that a configuration file still wins. */
class JsonLoggingTest {

    @Test
    void oneJsonObjectPerLineWithTheRequestIdAndNothingElse() throws Exception {
        LoggerContext context = new LoggerContext();
        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, JsonLogging.configure(context, false, null));
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        Encoder<Object> encoder = ((ConsoleAppender<Object>) (ConsoleAppender<?>) root.getAppender("STDOUT")).getEncoder();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("registrar.access"), Level.INFO, "GET {} {}", null, new Object[]{"/register", 201});
        event.setMDCPropertyMap(Map.of("request_id", "r-1"));
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("GET /register 201", json.get("formattedMessage").asText());
        assertEquals("INFO", json.get("level").asText());
        assertEquals("registrar.access", json.get("loggerName").asText());
        assertEquals("r-1", json.get("mdc").get("request_id").asText());
        for (String left : new String[]{"sequenceNumber", "nanoseconds", "context", "message", "arguments"}) {
            assertNull(json.get(left), left + " is left out: " + line);
        }
    }

    @Test
    void theLevelComesFromTheEnvironmentAndLibrariesStayQuiet() {
        LoggerContext info = new LoggerContext();
        JsonLogging.configure(info, false, null);
        assertEquals(Level.INFO, info.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertEquals(Level.WARN, info.getLogger("org.eclipse.jetty.server.Server").getEffectiveLevel());
        assertEquals(Level.WARN, info.getLogger("org.flywaydb.core.Flyway").getEffectiveLevel());

        LoggerContext debug = new LoggerContext();
        JsonLogging.configure(debug, false, "DEBUG");
        assertEquals(Level.DEBUG, debug.getLogger("io.registrar.Registrar").getEffectiveLevel());
        assertEquals(Level.WARN, debug.getLogger("com.zaxxer.hikari.HikariDataSource").getEffectiveLevel());
    }

    @Test
    void logbackFindsItBeforeAnyFile() {
        // The tests' own logback-test.xml hides it in every other test: without this registration the
        // server would fall back to Logback's plain-text defaults, silently.
        assertTrue(java.util.ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .anyMatch(p -> p.type() == JsonLogging.class), "META-INF/services names JsonLogging");
    }

    @Test
    void aConfigurationFileReplacesIt() {
        LoggerContext context = new LoggerContext();
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, JsonLogging.configure(context, true, "DEBUG"));
        assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext());
    }
}
