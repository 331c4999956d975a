package io.registrar.login;

/** A refused sign-in, with the message the login page shows. {@code throttled}: refused for too many failures. */
public final class LoginException extends RuntimeException {

    private final boolean throttled;

    LoginException(String message, boolean throttled) {
        super(message, null, false, false);
        this.throttled = throttled;
    }

    public boolean throttled() {
        return throttled;
    }
}
