package io.registrar.authorize;

import io.registrar.clientauth.ClientDirectory;
import io.registrar.clientauth.RegisteredClient;
import io.registrar.login.LoginService;
import io.registrar.store.SsoSession;
import io.registrar.token.IdTokens;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RP-Initiated Logout 1.0 (end_session_endpoint). The user's SSO session ends; then the browser goes
 * to the client's post_logout_redirect_uri when it is registered exactly (§3), with state, or sees a
 * "signed out" page. Without an id_token_hint naming the session's user, the request could come from
 * any site, so the user is asked to confirm first (§2: the OP SHOULD ask).
 */
public final class EndSessionService {

    private final ClientDirectory clients;
    private final IdTokens idTokens;
    private final LoginService logins;

    public EndSessionService(ClientDirectory clients, IdTokens idTokens, LoginService logins) {
        this.clients = clients;
        this.idTokens = idTokens;
        this.logins = logins;
    }

    /**
     * @param sessionCookie the browser's SSO cookie value, or null
     * @param confirmed     the user confirmed on this server's own form (CSRF-checked by the caller)
     */
    public AuthorizationResult endSession(Map<String, List<String>> params, String sessionCookie, boolean confirmed) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getValue().size() > 1) {
                return error("The parameter " + e.getKey() + " is repeated.");
            }
        }
        String hintParam = AuthorizationService.single(params, "id_token_hint");
        Optional<IdTokens.Hint> hint = idTokens.readHint(hintParam);
        if (hintParam != null && hint.isEmpty()) {
            return error("The id_token_hint was not issued by this server.");
        }
        String clientId = AuthorizationService.single(params, "client_id");
        if (clientId != null && hint.isPresent() && !clientId.equals(hint.get().clientId())) {
            return error("client_id does not match the id_token_hint.");
        }
        if (clientId == null && hint.isPresent()) {
            clientId = hint.get().clientId();
        }
        String postLogout = AuthorizationService.single(params, "post_logout_redirect_uri");
        if (postLogout != null) {
            Optional<RegisteredClient> client = clientId == null ? Optional.empty() : clients.findActive(clientId);
            if (client.isEmpty()) {
                return error("post_logout_redirect_uri needs client_id or id_token_hint to name the application.");
            }
            if (!client.get().postLogoutRedirectUris().contains(postLogout)) {
                return error("post_logout_redirect_uri is not registered for the application.");
            }
        }
        Optional<SsoSession> session = logins.session(sessionCookie);
        if (session.isPresent()) {
            boolean fromSessionUser = hint.isPresent() && hint.get().userId().equals(session.get().userId());
            if (!fromSessionUser && !confirmed) {
                return new AuthorizationResult.ConfirmLogout(AuthorizationService.formEncode(params));
            }
            logins.signOut(sessionCookie);
        }
        if (postLogout != null) {
            Map<String, String> p = new LinkedHashMap<>();
            String state = AuthorizationService.single(params, "state");
            if (state != null) {
                p.put("state", state);
            }
            return new AuthorizationResult.Redirect(AuthorizationService.appendQuery(postLogout, p));
        }
        return new AuthorizationResult.Page(200, "Signed out", "You are signed out. You can close this window.");
    }

    private static AuthorizationResult error(String message) {
        return new AuthorizationResult.Page(400, "This sign-out request cannot be completed", message);
    }
}
