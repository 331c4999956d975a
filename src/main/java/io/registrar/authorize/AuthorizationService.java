package io.registrar.authorize;

import io.registrar.clientauth.ClientDirectory;
import io.registrar.clientauth.RegisteredClient;
import io.registrar.crypto.Secrets;
import io.registrar.discovery.Endpoints;
import io.registrar.store.AuthorizationCode;
import io.registrar.store.GrantStore;
import io.registrar.store.PushedRequest;
import io.registrar.store.PushedRequestStore;
import io.registrar.store.SsoSession;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The authorization endpoint (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2) for the code flow with
 * PKCE (RFC 7636). The client and redirect URI are checked first: while either is unknown, errors go
 * to a page, never to a redirect (§4.1.2.1), so the endpoint cannot be used as an open redirector.
 * After that, every error goes back to the redirect URI with state and iss (RFC 9207). A live SSO
 * session completes the request without a password, unless prompt=login or max_age say otherwise.
 * A request pushed to /par first (RFC 9126) arrives as client_id and request_uri alone.
 */
public final class AuthorizationService {

    /** RFC 9126 §2.2: the URN prefix of the request_uri values /par issues. */
    public static final String REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

    private final ClientDirectory clients;
    private final GrantStore grants;
    private final PushedRequestStore pushedRequests;
    private final Secrets secrets;
    private final Clock clock;
    private final String issuer;
    private final Duration codeLifetime;
    private final AuthorizationRequestRules rules;
    private final boolean pushedRequestsRequired;

    /** @param pushedRequestsRequired par.required: every request must come through /par (RFC 9126 §5) */
    public AuthorizationService(ClientDirectory clients, GrantStore grants, PushedRequestStore pushedRequests, Secrets secrets,
                                Clock clock, String issuer, Duration codeLifetime, boolean userAuthenticatesRegistration,
                                boolean pushedRequestsRequired) {
        this.clients = clients;
        this.grants = grants;
        this.pushedRequests = pushedRequests;
        this.secrets = secrets;
        this.clock = clock;
        this.issuer = issuer;
        this.codeLifetime = codeLifetime;
        this.rules = new AuthorizationRequestRules(userAuthenticatesRegistration);
        this.pushedRequestsRequired = pushedRequestsRequired;
    }

    /** The checks of /authorize, for /par to run the same (RFC 9126 §2.1). */
    AuthorizationRequestRules rules() {
        return rules;
    }

    /** Whether {@code client}'s requests must be pushed: the server's setting (RFC 9126 §5) or its own (§6). */
    boolean requiresPushedRequests(RegisteredClient client) {
        return pushedRequestsRequired || client.requiresPushedAuthorizationRequests();
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
        Instant now = clock.instant();
        Map<String, List<String>> request = params;
        PushedRequest pushed = null;
        if (params.containsKey("request_uri")) {
            // RFC 9126 §4: the pushed parameters are the request; of the others only client_id counts,
            // and it must name the client that pushed it.
            pushed = pushed(single(params, "request_uri"), now).filter(p -> p.clientId().equals(client.clientId())).orElse(null);
            if (pushed == null) {
                return invalidRequestUri();
            }
            request = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : pushed.parameters().entrySet()) {
                request.put(e.getKey(), List.of(e.getValue()));
            }
        }
        AuthorizationRequestRules.Checked checked = rules.check(client, request);
        if (checked instanceof AuthorizationRequestRules.Unredirectable u) {
            return page(u.message());
        }
        AuthorizationRequestRules.Redirectable target = (AuthorizationRequestRules.Redirectable) checked;
        // From here on the redirect URI is the client's own: errors go back to it (§4.1.2.1).
        Reply reply = new Reply(target.redirectUri(), target.state(), pushed);
        if (pushed == null && requiresPushedRequests(client)) {
            return reply.error("invalid_request", "This application's authorization requests must be pushed to "
                    + Endpoints.PUSHED_AUTHORIZATION_REQUEST + " first (RFC 9126)");
        }
        if (checked instanceof AuthorizationRequestRules.Refused r) {
            return reply.error(r.error().code(), r.description());
        }
        AuthorizationRequestRules.Valid valid = (AuthorizationRequestRules.Valid) checked;
        List<String> prompt = valid.prompt();
        Long maxAge = valid.maxAge();
        boolean mustSignIn = session.isEmpty()
                || (!justSignedIn && (prompt.contains("login") || prompt.contains("select_account")))
                || (!justSignedIn && maxAge != null && session.get().authTime().plusSeconds(maxAge).isBefore(now));
        if (mustSignIn) {
            if (prompt.contains("none")) {
                return reply.error("login_required", "The user must sign in");
            }
            // A pushed request crosses the login form as its client_id and request_uri only, and is
            // read again from the store when the form comes back: the form cannot alter it.
            Map<String, List<String>> carried = pushed == null ? params
                    : Map.of("client_id", List.of(client.clientId()), "request_uri", List.of(single(params, "request_uri")));
            return new AuthorizationResult.LoginPage(client.displayName(), formEncode(carried), valid.loginHint(), null, 200);
        }
        SsoSession s = session.get();
        if (client.authenticatedUser() != null && !client.authenticatedUser().equals(s.userId())) {
            // A per-instance client belongs to the user who registered it: another user's sign-in
            // must not yield tokens for it (a device handed on keeps its user's client).
            return reply.error("access_denied", "This application instance is registered to another user");
        }
        String code = secrets.newToken();
        AuthorizationResult success = reply.success(code);
        if (success instanceof AuthorizationResult.Redirect) {
            grants.insertCode(new AuthorizationCode(secrets.tokenHash(code), client.clientId(), s.userId(), valid.redirectUri(),
                    valid.redirectUriSent(), valid.scopes(), valid.nonce(), valid.codeChallenge(), s.authTime(),
                    UUID.randomUUID().toString(), now.plus(codeLifetime)));
        }
        return success;
    }

    /**
     * The pushed request a request_uri names, unexpired; empty for anything else, a request_uri that
     * /par did not issue included (RFC 9101's request objects by reference are not supported).
     */
    private Optional<PushedRequest> pushed(String requestUri, Instant now) {
        if (requestUri == null || !requestUri.startsWith(REQUEST_URI_PREFIX) || requestUri.length() > 200) {
            return Optional.empty();
        }
        return pushedRequests.find(secrets.tokenHash(requestUri.substring(REQUEST_URI_PREFIX.length())), now);
    }

    /**
     * RFC 9101 §7 / OpenID Connect Core §3.1.2.6: invalid_request_uri. Shown to the user, not redirected:
     * the redirect URI is in the pushed request this server cannot find (RFC 6749 §4.1.2.1).
     */
    private static AuthorizationResult invalidRequestUri() {
        return new AuthorizationResult.Page(400, "This sign-in request cannot be completed",
                "The request has expired or was already used (invalid_request_uri). Start again from the application.");
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

    /**
     * Building the redirect back to the client (§4.1.2, §4.1.2.1, RFC 9207 §2). The answer to a pushed
     * request, a code or an error, ends it: RFC 9126 §4 has the server "treat request_uri values as
     * one-time use but MAY allow for duplicate requests due to a user reloading/refreshing their user
     * agent". So the request_uri is spent here, when the authorization ends, not when it is first
     * read: a reload, or the login page's round trip (the user may take a while to type a password),
     * reads it again, and only one authorization response ever comes of it, since of two concurrent
     * requests one conditional DELETE succeeds and the other gets invalid_request_uri.
     */
    private final class Reply {
        private final String redirectUri;
        private final String state;
        private final PushedRequest pushed;

        Reply(String redirectUri, String state, PushedRequest pushed) {
            this.redirectUri = redirectUri;
            this.state = state;
            this.pushed = pushed;
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
            if (pushed != null && !pushedRequests.consume(pushed.uriHash(), pushed.clientId(), clock.instant())) {
                return invalidRequestUri();
            }
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
        return AuthorizationRequestRules.single(params, name);
    }

    private static AuthorizationResult page(String message) {
        return new AuthorizationResult.Page(400, "This sign-in request cannot be completed", message);
    }
}
