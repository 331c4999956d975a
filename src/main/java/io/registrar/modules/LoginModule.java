package io.registrar.modules;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.PasswordHasher;
import io.registrar.discovery.Endpoints;
import io.registrar.http.Route.Action;
import io.registrar.http.Route;
import io.registrar.login.CsrfTokens;
import io.registrar.login.LoginService;
import io.registrar.token.UserInfoService;

import java.time.Clock;
import java.util.List;

/** Users: the login page's checks, the configured users, and the OpenID Connect UserInfo endpoint. */
public record LoginModule(LoginService service, CsrfTokens csrf, UserInfoService userInfo) {

    /** The sign-in form's target, and UserInfo (OpenID Connect Core §5.3.1: GET and POST). */
    public static List<Route> routes() {
        return List.of(Route.post(Endpoints.LOGIN, Action.LOGIN),
                Route.get(Endpoints.USERINFO, Action.USERINFO),
                Route.post(Endpoints.USERINFO, Action.USERINFO));
    }

    public static LoginModule of(RegistrarConfig config, StorageModule storage, SecurityModule security, TokenModule tokens,
                                 Clock clock) {
        LoginService logins = new LoginService(storage.users(), storage.failures(), new PasswordHasher(), security.secrets(), clock, config.login());
        logins.ensureUsers(config.users());
        return new LoginModule(logins, new CsrfTokens(security.secrets()), new UserInfoService(tokens.accessTokens(), logins));
    }
}
