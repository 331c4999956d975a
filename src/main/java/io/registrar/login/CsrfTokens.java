package io.registrar.login;

import io.registrar.crypto.Secrets;

/**
 * CSRF protection for the server's own forms (login, logout confirmation): a signed double submit.
 * The browser holds a random value in a cookie; the form carries an HMAC of it under the server key.
 * A cross-site page can neither read the cookie nor compute the HMAC, and a cookie planted from a
 * sibling domain is useless without the matching form value.
 */
public final class CsrfTokens {

    private final Secrets secrets;

    public CsrfTokens(Secrets secrets) {
        this.secrets = secrets;
    }

    public String newCookieValue() {
        return secrets.newSecret();
    }

    public String formValue(String cookieValue) {
        return secrets.hash("csrf:" + cookieValue);
    }

    public boolean valid(String cookieValue, String formValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 128 || formValue == null) {
            return false;
        }
        return Secrets.constantTimeEquals(formValue(cookieValue), formValue);
    }
}
