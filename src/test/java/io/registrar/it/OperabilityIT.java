package io.registrar.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operability: request ids in the logs, no secret in any log line, graceful shutdown. */
class OperabilityIT {

    @Test
    void logLinesCarryTheRequestIdAndNeverASecretOrToken() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger access = (Logger) LoggerFactory.getLogger("registrar.access");
        Level accessLevel = access.getLevel();
        access.setLevel(Level.INFO);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        List<String> secrets = new ArrayList<>(List.of(TestServer.INITIAL_SECRET, TestServer.ADMIN_SECRET));
        try (TestServer server = TestServer.start(TestDatabase.H2)) {
            TestHttp http = server.http;
            String dcr = http.dcrToken();
            secrets.add(dcr);
            TestHttp.Response reg = http.send("POST", "/register", Map.of("Content-Type", "application/json",
                    "Authorization", "Bearer " + dcr, "X-Request-Id", "trace-me-42"), DcrFlowTests.CC_CLIENT);
            assertEquals(201, reg.status(), reg.body());
            assertEquals("trace-me-42", reg.header("X-Request-Id"));
            secrets.add(reg.string("client_secret"));
            secrets.add(reg.string("registration_access_token"));
            TestHttp.Response read = http.get(reg.string("registration_client_uri"), reg.string("registration_access_token"));
            secrets.add(read.string("client_secret"));
            secrets.add(read.string("registration_access_token"));
            TestHttp.Response token = http.clientCredentialsToken(reg.string("client_id"), read.string("client_secret"));
            secrets.add(token.string("access_token"));
            http.get(reg.string("registration_client_uri"), "wrong-" + reg.string("registration_access_token"));
        } finally {
            root.detachAppender(captured);
            access.setLevel(accessLevel);
        }
        List<ILoggingEvent> events = captured.list;
        assertFalse(events.isEmpty());
        boolean sawTracedRequest = false;
        for (ILoggingEvent e : events) {
            String line = e.getFormattedMessage() + " " + e.getMDCPropertyMap() + " "
                    + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
            for (String secret : secrets) {
                assertNotNull(secret);
                assertFalse(line.contains(secret), () -> "a secret or token reached the log: " + line);
            }
            if ("registrar.access".equals(e.getLoggerName())) {
                assertNotNull(e.getMDCPropertyMap().get("request_id"), () -> "access line without request id: " + line);
                sawTracedRequest |= "trace-me-42".equals(e.getMDCPropertyMap().get("request_id"))
                        && e.getFormattedMessage().startsWith("POST /register 201");
            }
        }
        assertTrue(sawTracedRequest, "the access log has the caller's request id");
    }

    @Test
    void shutdownFinishesTheRequestInFlight() throws Exception {
        TestServer server = TestServer.start(TestDatabase.H2);
        String dcr = server.http.dcrToken();
        byte[] body = DcrFlowTests.CC_CLIENT.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            // Headers and half the body: the request is being handled (its handler waits for the rest).
            out.write(("POST /register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + dcr + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, 0, body.length / 2);
            out.flush();
            Thread.sleep(300);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            Thread.sleep(500);
            assertFalse(stopping.isDone(), "shutdown waits for the request in flight");
            out.write(body, body.length / 2, body.length - body.length / 2);
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 201", status);
            stopping.get();
        }
    }
}
