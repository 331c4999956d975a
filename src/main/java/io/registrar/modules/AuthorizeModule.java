package io.registrar.modules;

import io.registrar.authorize.AuthorizationService;
import io.registrar.authorize.EndSessionService;
import io.registrar.config.RegistrarConfig;

import java.time.Clock;

/** The browser's side: the authorization endpoint (RFC 6749 §3.1) and RP-initiated logout. */
public record AuthorizeModule(AuthorizationService authorization, EndSessionService endSession) {

    public static AuthorizeModule of(RegistrarConfig config, StorageModule storage, SecurityModule security,
                                     ClientAuthModule clientAuth, TokenModule tokens, LoginModule login, Addresses addresses,
                                     Clock clock) {
        return new AuthorizeModule(
                new AuthorizationService(clientAuth.directory(), storage.grants(), security.secrets(), clock, addresses.issuer(),
                        config.tokens().authorizationCodeLifetime(), tokens.policy().userAuthenticatesRegistration()),
                new EndSessionService(clientAuth.directory(), tokens.idTokens(), login.service()));
    }
}
