package io.registrar.token;

import io.registrar.login.LoginService;
import io.registrar.oauth.OAuthException;
import io.registrar.store.AccessToken;
import io.registrar.store.User;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The UserInfo endpoint (OpenID Connect Core §5.3): the claims of the token's user that its scopes
 * allow (§5.4: profile → name, preferred_username; email → email), for an access token with openid.
 */
public final class UserInfoService {

    private final AccessTokens accessTokens;
    private final LoginService logins;

    public UserInfoService(AccessTokens accessTokens, LoginService logins) {
        this.accessTokens = accessTokens;
        this.logins = logins;
    }

    public Map<String, Object> userInfo(PresentedToken bearer) {
        AccessToken token = accessTokens.requireScope(bearer, "openid");
        if (token.subject() == null) {
            // openid on a token without a user cannot happen through the grants; refuse it all the same.
            throw OAuthException.insufficientScope("The access token was not issued for a user", "openid");
        }
        User user = logins.user(token.subject())
                .orElseThrow(() -> OAuthException.invalidToken("The user of this access token no longer exists"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", user.userId());
        if (token.scopes().contains("profile")) {
            out.put("preferred_username", user.username());
            if (user.name() != null) {
                out.put("name", user.name());
            }
        }
        if (token.scopes().contains("email") && user.email() != null) {
            out.put("email", user.email());
            // Addresses come from the operator's configuration, not from a verification this server ran.
            out.put("email_verified", false);
        }
        return out;
    }
}
