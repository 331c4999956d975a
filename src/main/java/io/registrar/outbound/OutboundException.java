package io.registrar.outbound;

/** A URL the server was asked to fetch could not be fetched, or was refused; the message says why. */
public final class OutboundException extends RuntimeException {
    public OutboundException(String message) {
        super(message);
    }

    public OutboundException(String message, Throwable cause) {
        super(message, cause);
    }
}
