package io.registrar.authorize;

/** What the authorization and logout endpoints answer; the HTTP layer renders it. */
public sealed interface AuthorizationResult {

    /** 303 to a client's redirect URI (a code or an error, RFC 6749 §4.1.2) or a post-logout URI. */
    record Redirect(String location) implements AuthorizationResult {
    }

    /**
     * The login form. {@code request}: the authorization request's parameters, form-encoded, carried
     * through the form so that signing in completes it; {@code error}: the message to show, if any.
     */
    record LoginPage(String clientName, String request, String username, String error, int status)
            implements AuthorizationResult {
    }

    /** RP-initiated logout without proof that the request came from the user's own client: ask first. */
    record ConfirmLogout(String request) implements AuthorizationResult {
    }

    /** A page for the user: signed out, or an error that must not go to an unverified redirect URI. */
    record Page(int status, String title, String message) implements AuthorizationResult {
    }
}
