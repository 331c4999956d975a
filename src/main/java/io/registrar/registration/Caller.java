package io.registrar.registration;

import io.registrar.clientauth.ClientCertificate;
import io.registrar.token.PresentedToken;

import java.util.Objects;

/**
 * Everything a way of authorising a registration may judge the caller by, read from the request by
 * the HTTP edge: the bearer token (absent when none was sent), the client certificate of the mTLS
 * handshake or the trusted proxy's header (null when none), the caller's address and the request's
 * content type (application/json today; signed requests arrive as application/jwt).
 */
public record Caller(PresentedToken bearerToken, ClientCertificate certificate, String remoteAddress, String contentType) {
    public Caller {
        Objects.requireNonNull(bearerToken, "bearerToken");
    }
}
