package io.registrar.store;

/** The database failed (unreachable, constraint the code did not expect, …): a server error, never the client's fault. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
