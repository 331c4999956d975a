package io.registrar.modules;

import io.registrar.authorize.AuthorizationService;
import io.registrar.authorize.EndSessionService;
import io.registrar.authorize.PushedAuthorizationService;
import io.registrar.config.RegistrarConfig;
import io.registrar.discovery.Endpoints;
import io.registrar.http.Route.Action;
import io.registrar.http.Route;

import java.time.Clock;
import java.util.List;

/**
 * The browser's side: the authorization endpoint (RFC 6749 §3.1) and RP-initiated logout; and the
 * pushed authorization request endpoint (RFC 9126), where a client hands in the request beforehand.
 */
public record AuthorizeModule(AuthorizationService authorization, PushedAuthorizationService pushedAuthorization,
                              EndSessionService endSession) {

    /** RFC 6749 §3.1: the authorization endpoint takes GET and POST; so does RP-initiated logout. RFC 9126 §2: POST /par. */
    public static List<Route> routes() {
        return List.of(Route.get(Endpoints.AUTHORIZATION, Action.AUTHORIZE),
                Route.post(Endpoints.AUTHORIZATION, Action.AUTHORIZE),
                Route.post(Endpoints.PUSHED_AUTHORIZATION_REQUEST, Action.PUSHED_AUTHORIZATION_REQUEST),
                Route.get(Endpoints.END_SESSION, Action.END_SESSION),
                Route.post(Endpoints.END_SESSION, Action.END_SESSION));
    }

    public static AuthorizeModule of(RegistrarConfig config, StorageModule storage, SecurityModule security,
                                     ClientAuthModule clientAuth, TokenModule tokens, LoginModule login, Addresses addresses,
                                     Clock clock) {
        AuthorizationService authorization = new AuthorizationService(clientAuth.directory(), storage.grants(), storage.pushedRequests(),
                security.secrets(), clock, addresses.issuer(), config.tokens().authorizationCodeLifetime(),
                tokens.policy().userAuthenticatesRegistration(), config.par().required());
        return new AuthorizeModule(authorization,
                new PushedAuthorizationService(clientAuth.authenticator(), authorization, storage.pushedRequests(), security.secrets(),
                        clock, config.par().lifetime(), addresses.assertionAudiences()),
                new EndSessionService(clientAuth.directory(), tokens.idTokens(), login.service()));
    }
}
