package io.registrar.clientauth;

import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.Param;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A client as the server sees it, static or dynamic alike: its metadata in RFC 7591 / RFC 8705 terms
 * (a templatized client's already resolved against its template) and what it holds. {@code plainSecret}
 * is known for static clients (from configuration); a dynamic client_secret_jwt client has
 * {@code secretEncrypted} instead. {@code certificateIssuerDn} (static clients only) pins the issuer of
 * its tls_client_auth certificate. {@code authenticatedUser}: the user whose login registered it, who
 * alone may sign in through it. The lifetimes are null where the server's defaults apply. {@code dcrToken}:
 * what the DCR tokens it obtains allow (configured per static client; the server's defaults otherwise).
 * {@code pkceRequired}: its authorization requests need a PKCE challenge even though it is confidential
 * (the security profile it registered under says so, e.g. FAPI 2.0); public clients always need one.
 */
public record RegisteredClient(String clientId, boolean dynamic, boolean active, ClientMetadata metadata, String secretHash,
                               String plainSecret, String secretEncrypted, Instant secretExpiresAt, String certificateIssuerDn,
                               String authenticatedUser, Duration accessTokenLifetime, Duration refreshTokenLifetime,
                               DcrTokenSettings dcrToken, boolean pkceRequired) {

    public RegisteredClient {
        dcrToken = dcrToken == null ? DcrTokenSettings.SERVER_DEFAULTS : dcrToken;
    }

    public String method() {
        return metadata.authMethod();
    }

    /** RFC 6749 §2.1: a client without credentials of its own (token_endpoint_auth_method none). */
    public boolean isPublic() {
        return "none".equals(method());
    }

    public boolean certificateBoundTokens() {
        return Boolean.TRUE.equals(metadata.document().get(Param.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS));
    }

    /** RFC 9126 §6: its authorization requests must come through /par. */
    public boolean requiresPushedAuthorizationRequests() {
        return Boolean.TRUE.equals(metadata.document().get(Param.REQUIRE_PUSHED_AUTHORIZATION_REQUESTS));
    }

    public List<String> scopes() {
        return Optional.ofNullable(metadata.scopes()).orElse(List.of());
    }

    public List<String> grantTypes() {
        return Optional.ofNullable(metadata.grantTypes()).orElse(List.of());
    }

    public List<String> redirectUris() {
        return Optional.ofNullable(metadata.redirectUris()).orElse(List.of());
    }

    public List<String> postLogoutRedirectUris() {
        return Optional.ofNullable(metadata.strings(Param.POST_LOGOUT_REDIRECT_URIS)).orElse(List.of());
    }

    /** OpenID Connect DCR 1.0 §2: RS256 unless the client registered another. */
    public String idTokenAlg() {
        return metadata.idTokenSignedResponseAlg();
    }

    public String displayName() {
        return Optional.ofNullable(metadata.string(Param.CLIENT_NAME)).orElse(clientId);
    }
}
