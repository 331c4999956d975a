package io.registrar.cli;

import org.junit.jupiter.api.Test;

import java.net.BindException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerCommandTest {

    @Test
    void findsTheCauseAlongCausesAndSuppressedExceptions() {
        RuntimeException start = new RuntimeException("start failed", new IllegalStateException("pool"));
        start.getCause().addSuppressed(new java.io.UncheckedIOException(new BindException("Address already in use")));
        assertTrue(ServerCommand.causedBy(start, BindException.class));
        assertFalse(ServerCommand.causedBy(new RuntimeException("other"), BindException.class));
    }

    @Test
    void aChainWithACycleEndsTheSearch() {
        // As H2's exception chain does when another process holds the database file.
        RuntimeException outer = new RuntimeException("Failed to initialize pool");
        RuntimeException inner = new RuntimeException("Database may be already in use", outer);
        outer.addSuppressed(inner);
        RuntimeException start = new RuntimeException("start failed", inner);
        assertFalse(ServerCommand.causedBy(start, BindException.class));
        inner.addSuppressed(new BindException("Address already in use"));
        assertTrue(ServerCommand.causedBy(start, BindException.class));
    }
}
