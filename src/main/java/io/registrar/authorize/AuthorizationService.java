package io.registrar.authorize;

import io.registrar.clientauth.ClientDirectory;
import io.registrar.clientauth.RegisteredClient;
import io.registrar.crypto.Secrets;
import io.registrar.metadata.RedirectUriRules;
import io.registrar.oauth.Scopes;
import io.registrar.store.AuthorizationCode;
import io.registrar.store.GrantStore;
import io.registrar.store.SsoSession;
import io.registrar.token.TokenService;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The authorization endpoint (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2) for the code flow with
 * PKCE (RFC 7636). The client and redirect URI are checked first: while either is unknown, errors go
 * to a page, never to a redirect (§4.1.2.1), so the endpoint cannot be used as an open redirector.
 * After that, every error goes back to the redirect URI with state and iss (RFC 9207). A live SSO
 * session completes the request without a password, unless prompt=login or max_age say otherwise.
 */
public final class AuthorizationService {

    private static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    private final ClientDirectory clients;
    private final GrantStore grants;
    private final Secrets secrets;
    private final Clock clock;
    private final String issuer;
    private final Duration codeLifetime;
    private final boolean userAuthenticatesRegistration;

    public AuthorizationService(ClientDirectory clients, GrantStore grants, Secrets secrets, Clock clock, String issuer,
                                Duration codeLifetime, boolean userAuthenticatesRegistration) {
        this.clients = clients;
        this.grants = grants;
        this.secrets = secrets;
        this.clock = clock;
        this.issuer = issuer;
        this.codeLifetime = codeLifetime;
        this.userAuthenticatesRegistration = userAuthenticatesRegistration;
    }

    /**
     * @param params      the request's parameters (query or form), each with all its values
     * @param session     the browser's live SSO session, if any
     * @param justSignedIn the user entered the password in this very request (the login form's POST)
     */
    public AuthorizationResult authorize(Map<String, List<String>> params, Optional<SsoSession> session, boolean justSignedIn) {
        String clientId = single(params, "client_id");
        if (clientId == null || clientId.isEmpty()) {
            return page("The request does not name a client (client_id is missing or repeated).");
        }
        Optional<RegisteredClient> found = clients.findActive(clientId);
        if (found.isEmpty()) {
            return page("The application that sent you here is not known to this server, or has been disabled.");
        }
        RegisteredClient client = found.get();
        String sentRedirect = single(params, "redirect_uri");
        if (sentRedirect == null && params.containsKey("redirect_uri")) {
            return page("The request repeats redirect_uri.");
        }
        String redirectUri = redirectUri(client, sentRedirect);
        if (redirectUri == null) {
            return page(sentRedirect == null
                    ? "The request has no redirect_uri, and the application has more than one registered."
                    : "The redirect_uri of this request is not registered for the application.");
        }
        // From here on the redirect URI is the client's own: errors go back to it (§4.1.2.1).
        Reply reply = new Reply(redirectUri, single(params, "state"));
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getValue().size() > 1) {
                return reply.error("invalid_request", "The parameter " + e.getKey() + " is repeated");
            }
        }
        if (params.containsKey("request")) {
            return reply.error("request_not_supported", "Request objects are not supported");
        }
        if (params.containsKey("request_uri")) {
            return reply.error("request_uri_not_supported", "request_uri is not supported");
        }
        String responseType = single(params, "response_type");
        if (responseType == null) {
            return reply.error("invalid_request", "response_type is required");
        }
        if (!"code".equals(responseType)) {
            return reply.error("unsupported_response_type", "Only response_type=code is supported");
        }
        String responseMode = single(params, "response_mode");
        if (responseMode != null && !"query".equals(responseMode)) {
            return reply.error("invalid_request", "Only response_mode=query is supported");
        }
        if (!client.grantTypes().contains("authorization_code")) {
            return reply.error("unauthorized_client", "The application is not registered for the authorization code flow");
        }
        String scopeParam = single(params, "scope");
        List<String> scopes = scopeParam == null ? client.scopes() : Scopes.parse(scopeParam);
        for (String s : scopes) {
            if (!client.scopes().contains(s)) {
                return reply.error("invalid_scope", "scope '" + s + "' is not registered for this application");
            }
        }
        if (scopes.isEmpty()) {
            return reply.error("invalid_scope", "No scope was requested and the application has none registered");
        }
        if (scopes.contains(TokenService.DCR_SCOPE) && !userAuthenticatesRegistration) {
            return reply.error("invalid_scope", "Registration authorised by a user's login is disabled on this server");
        }
        if (scopes.contains("openid") && sentRedirect == null) {
            return reply.error("invalid_request", "redirect_uri is required for OpenID Connect requests");
        }
        String challenge = single(params, "code_challenge");
        String method = single(params, "code_challenge_method");
        if (challenge != null) {
            // RFC 7636 §4.3: the method defaults to plain, which this server refuses (RFC 9700 §2.1.1).
            if (!"S256".equals(method)) {
                return reply.error("invalid_request", "code_challenge_method must be S256; plain is not accepted");
            }
            if (!CODE_CHALLENGE.matcher(challenge).matches()) {
                return reply.error("invalid_request", "code_challenge must be the base64url SHA-256 of the verifier (43 characters)");
            }
        } else if (method != null) {
            return reply.error("invalid_request", "code_challenge_method was sent without code_challenge");
        } else if (client.isPublic()) {
            return reply.error("invalid_request", "PKCE is required for public clients: send code_challenge with S256");
        }
        String nonce = single(params, "nonce");
        if (nonce != null && nonce.length() > 512) {
            return reply.error("invalid_request", "nonce is too long");
        }
        List<String> prompt = single(params, "prompt") == null ? List.of() : Scopes.parse(single(params, "prompt"));
        if (!PROMPTS.containsAll(prompt) || (prompt.contains("none") && prompt.size() > 1)) {
            return reply.error("invalid_request", "prompt must be none, or any of login, consent, select_account");
        }
        Long maxAge = null;
        String maxAgeParam = single(params, "max_age");
        if (maxAgeParam != null) {
            try {
                maxAge = Long.parseLong(maxAgeParam);
            } catch (NumberFormatException e) {
                maxAge = -1L;
            }
            if (maxAge < 0) {
                return reply.error("invalid_request", "max_age must be a non-negative number of seconds");
            }
        }

        Instant now = clock.instant();
        boolean mustSignIn = session.isEmpty()
                || (!justSignedIn && (prompt.contains("login") || prompt.contains("select_account")))
                || (!justSignedIn && maxAge != null && session.get().authTime().plusSeconds(maxAge).isBefore(now));
        if (mustSignIn) {
            if (prompt.contains("none")) {
                return reply.error("login_required", "The user must sign in");
            }
            return new AuthorizationResult.LoginPage(client.displayName(), formEncode(params), single(params, "login_hint"), null, 200);
        }
        SsoSession s = session.get();
        if (client.authenticatedUser() != null && !client.authenticatedUser().equals(s.userId())) {
            // A per-instance client belongs to the user who registered it: another user's sign-in
            // must not yield tokens for it (a device handed on keeps its user's client).
            return reply.error("access_denied", "This application instance is registered to another user");
        }
        String code = secrets.newToken();
        grants.insertCode(new AuthorizationCode(secrets.tokenHash(code), client.clientId(), s.userId(), redirectUri, sentRedirect != null,
                scopes, nonce, challenge, s.authTime(), UUID.randomUUID().toString(), now.plus(codeLifetime)));
        return reply.success(code);
    }

    /**
     * The login form again, after a refused sign-in, with {@code message}; or whatever the request
     * itself earns if it is no longer valid.
     */
    public AuthorizationResult loginRefused(Map<String, List<String>> params, String username, String message, int status) {
        AuthorizationResult r = authorize(params, Optional.empty(), false);
        if (r instanceof AuthorizationResult.LoginPage p) {
            return new AuthorizationResult.LoginPage(p.clientName(), p.request(), username, message, status);
        }
        return r;
    }

    /** The registered redirect URI this request means, or null (§3.1.2.3; RFC 8252 §7.3 for loopback). */
    private static String redirectUri(RegisteredClient client, String sent) {
        List<String> registered = client.redirectUris();
        if (sent == null) {
            // §3.1.2.3: may be omitted when exactly one is registered.
            return registered.size() == 1 ? registered.getFirst() : null;
        }
        if (sent.length() > 2000) {
            return null;
        }
        boolean nativeClient = "native".equals(client.metadata().applicationType());
        for (String r : registered) {
            if (RedirectUriRules.matches(r, sent, nativeClient)) {
                return sent;
            }
        }
        return null;
    }

    /** Building the redirect back to the client (§4.1.2, §4.1.2.1, RFC 9207 §2). */
    private final class Reply {
        private final String redirectUri;
        private final String state;

        Reply(String redirectUri, String state) {
            this.redirectUri = redirectUri;
            this.state = state;
        }

        AuthorizationResult success(String code) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("code", code);
            return redirect(p);
        }

        AuthorizationResult error(String error, String description) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("error", error);
            p.put("error_description", description);
            return redirect(p);
        }

        private AuthorizationResult redirect(Map<String, String> p) {
            if (state != null) {
                p.put("state", state);
            }
            p.put("iss", issuer);
            return new AuthorizationResult.Redirect(appendQuery(redirectUri, p));
        }
    }

    static String appendQuery(String uri, Map<String, String> params) {
        StringBuilder b = new StringBuilder(uri);
        char sep = uri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            sep = '&';
        }
        return b.toString();
    }

    static String formEncode(Map<String, List<String>> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, values) -> values.forEach(v -> {
            if (!b.isEmpty()) {
                b.append('&');
            }
            b.append(enc(k)).append('=').append(enc(v));
        }));
        return b.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The parameter's only value; null when absent or repeated. */
    static String single(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.size() != 1 ? null : v.getFirst();
    }

    private static AuthorizationResult page(String message) {
        return new AuthorizationResult.Page(400, "This sign-in request cannot be completed", message);
    }
}
