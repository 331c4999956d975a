package io.registrar.modules;

import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.PasswordHasher;
import io.registrar.login.CsrfTokens;
import io.registrar.login.LoginService;
import io.registrar.token.UserInfoService;

import java.time.Clock;

/** Users: the login page's checks, the configured users, and the OpenID Connect UserInfo endpoint. */
public record LoginModule(LoginService service, CsrfTokens csrf, UserInfoService userInfo) {

    public static LoginModule of(RegistrarConfig config, StorageModule storage, SecurityModule security, TokenModule tokens,
                                 Clock clock) {
        LoginService logins = new LoginService(storage.users(), new PasswordHasher(), security.secrets(), clock, config.login());
        logins.ensureUsers(config.users());
        return new LoginModule(logins, new CsrfTokens(security.secrets()), new UserInfoService(tokens.accessTokens(), logins));
    }
}
