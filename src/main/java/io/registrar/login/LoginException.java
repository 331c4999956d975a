package io.registrar.login;

/**
 * A refused sign-in, with the message the login page shows. {@code retryAfterSeconds}: more than 0
 * when refused for too many failures, before the password was checked; how long to wait.
 */
public final class LoginException extends RuntimeException {

    private final long retryAfterSeconds;

    LoginException(String message) {
        this(message, 0);
    }

    LoginException(String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public boolean throttled() {
        return retryAfterSeconds > 0;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
