package io.registrar.modules;

import io.registrar.config.RegistrarConfig;
import io.registrar.discovery.Endpoints;
import io.registrar.http.Route.Action;
import io.registrar.http.Route;
import io.registrar.policy.Registrant;
import io.registrar.token.AccessTokens;
import io.registrar.token.IdTokens;
import io.registrar.token.TokenPolicy;
import io.registrar.token.TokenService;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/** The token endpoint (RFC 6749 §3.2), introspection (RFC 7662), revocation (RFC 7009), and the tokens they deal in. */
public record TokenModule(AccessTokens accessTokens, IdTokens idTokens, TokenPolicy policy, TokenService service) {

    /** The token endpoint (RFC 6749 §3.2), introspection (RFC 7662) and revocation (RFC 7009). */
    public static List<Route> routes() {
        return List.of(Route.post(Endpoints.TOKEN, Action.TOKEN),
                Route.post(Endpoints.INTROSPECTION, Action.INTROSPECT),
                Route.post(Endpoints.REVOCATION, Action.REVOKE));
    }

    public static TokenModule of(RegistrarConfig config, StorageModule storage, SecurityModule security, ClientAuthModule clientAuth,
                                 Addresses addresses, Clock clock) {
        RegistrarConfig.Tokens settings = config.tokens();
        Set<Registrant.Kind> ways = RegistrationModule.ways(config.registration());
        TokenPolicy policy = new TokenPolicy(settings.accessTokenLifetime(), settings.initialTokenLifetime(),
                settings.refreshTokenLifetime(), config.registration().initialTokenUses(),
                ways.contains(Registrant.Kind.CLIENT_AUTHENTICATES), ways.contains(Registrant.Kind.USER_AUTHENTICATES),
                settings.refreshTokenRotationLeeway());
        AccessTokens accessTokens = new AccessTokens(storage.tokens(), security.secrets(), clock);
        IdTokens idTokens = new IdTokens(security.keys(), addresses.issuer(), settings.idTokenLifetime());
        TokenService service = new TokenService(clientAuth.authenticator(), storage.tokens(), storage.grants(), accessTokens,
                security.secrets(), security.secretBox(), idTokens, clock, policy, addresses.issuer(), addresses.assertionAudiences());
        return new TokenModule(accessTokens, idTokens, policy, service);
    }
}
