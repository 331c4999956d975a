package io.registrar.modules;

import io.registrar.authorize.AuthorizationService;
import io.registrar.authorize.EndSessionService;
import io.registrar.config.RegistrarConfig;
import io.registrar.discovery.Endpoints;
import io.registrar.http.Route.Action;
import io.registrar.http.Route;

import java.time.Clock;
import java.util.List;

/** The browser's side: the authorization endpoint (RFC 6749 §3.1) and RP-initiated logout. */
public record AuthorizeModule(AuthorizationService authorization, EndSessionService endSession) {

    /** RFC 6749 §3.1: the authorization endpoint takes GET and POST; so does RP-initiated logout. */
    public static List<Route> routes() {
        return List.of(Route.get(Endpoints.AUTHORIZATION, Action.AUTHORIZE),
                Route.post(Endpoints.AUTHORIZATION, Action.AUTHORIZE),
                Route.get(Endpoints.END_SESSION, Action.END_SESSION),
                Route.post(Endpoints.END_SESSION, Action.END_SESSION));
    }

    public static AuthorizeModule of(RegistrarConfig config, StorageModule storage, SecurityModule security,
                                     ClientAuthModule clientAuth, TokenModule tokens, LoginModule login, Addresses addresses,
                                     Clock clock) {
        return new AuthorizeModule(
                new AuthorizationService(clientAuth.directory(), storage.grants(), security.secrets(), clock, addresses.issuer(),
                        config.tokens().authorizationCodeLifetime(), tokens.policy().userAuthenticatesRegistration()),
                new EndSessionService(clientAuth.directory(), tokens.idTokens(), login.service()));
    }
}
