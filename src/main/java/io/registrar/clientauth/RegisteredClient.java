package io.registrar.clientauth;

import io.registrar.metadata.ClientMetadata;

import java.time.Instant;

/**
 * A client as authentication sees it, static or dynamic alike: its metadata in RFC 7591 / RFC 8705
 * terms and what it holds. {@code plainSecret} is known for static clients (from configuration);
 * a dynamic client_secret_jwt client has {@code secretEncrypted} instead. {@code certificateIssuerDn}
 * (static clients only) pins the issuer of its tls_client_auth certificate.
 */
record RegisteredClient(String clientId, boolean dynamic, boolean active, ClientMetadata metadata, String secretHash,
                        String plainSecret, String secretEncrypted, Instant secretExpiresAt, String certificateIssuerDn) {

    String method() {
        return metadata.authMethod();
    }

    boolean certificateBoundTokens() {
        return Boolean.TRUE.equals(metadata.document().get(io.registrar.metadata.Param.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS));
    }
}
