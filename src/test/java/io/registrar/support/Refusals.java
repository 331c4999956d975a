package io.registrar.support;

import io.registrar.oauth.OAuthException;

/**
 * The fuzz targets' one rule (issue 21 §1): bad input is refused with an {@link OAuthException} below
 * 500, which ErrorWriter turns into a 4xx. Anything else thrown would have been a 500 in the server;
 * it escapes, and Jazzer reports it with the input that caused it.
 */
public final class Refusals {

    private Refusals() {
    }

    public static void onlyAsClientErrors(Runnable parse) {
        try {
            parse.run();
        } catch (OAuthException e) {
            if (e.error().status() >= 500) {
                throw new AssertionError("refused as a server error: " + e.error().code() + " " + e.description(), e);
            }
        }
    }
}
