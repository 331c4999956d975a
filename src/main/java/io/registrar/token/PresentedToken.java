package io.registrar.token;

/**
 * A bearer token as presented on a request (RFC 6750 §2.1), with the thumbprint of the connection's
 * client certificate, if any, against which a certificate-bound token is checked (RFC 8705 §3).
 * {@code value} is null when the request carried no token.
 */
public record PresentedToken(String value, String certificateThumbprint) {

    public boolean absent() {
        return value == null || value.isEmpty();
    }
}
