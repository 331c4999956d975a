package io.registrar.http;

import io.registrar.admin.AdminService;
import io.registrar.authorize.AuthorizationService;
import io.registrar.authorize.EndSessionService;
import io.registrar.authorize.PushedAuthorizationService;
import io.registrar.health.Readiness;
import io.registrar.login.CsrfTokens;
import io.registrar.login.LoginService;
import io.registrar.management.ManagementService;
import io.registrar.registration.RegistrationService;
import io.registrar.token.TokenService;
import io.registrar.token.UserInfoService;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The services behind the routes. Bound once the listener is up, because a derived issuer
 * (https://localhost:PORT) is only known after the port is.
 */
public record Api(RegistrationService registration, ManagementService management, TokenService tokens,
                  AuthorizationService authorization, PushedAuthorizationService pushedAuthorization, EndSessionService endSession, LoginService logins, CsrfTokens csrf,
                  UserInfoService userInfo, AdminService admin,
                  Map<String, Object> discovery, Map<String, Object> jwks, Supplier<Readiness.Status> readiness) {
}
