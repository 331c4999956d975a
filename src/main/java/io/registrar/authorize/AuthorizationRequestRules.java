package io.registrar.authorize;

import io.registrar.clientauth.RegisteredClient;
import io.registrar.metadata.RedirectUriRules;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.Scopes;
import io.registrar.token.TokenService;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of an authorization request's parameters for a known client (RFC 6749 §4.1.1, OpenID
 * Connect Core §3.1.2.1, RFC 7636 §4.3), in one place for both ways a request arrives: at the
 * authorization endpoint, and pushed to /par (RFC 9126 §2.1: "the authorization server MUST validate
 * the request in the same way as at the authorization endpoint"). Pure: no I/O.
 */
final class AuthorizationRequestRules {

    private static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    /** What the check found. */
    sealed interface Checked {
    }

    /** The redirect URI is missing, unregistered or repeated: the error must not be redirected (§4.1.2.1). */
    record Unredirectable(String message) implements Checked {
    }

    /** The redirect URI is the client's own: errors and the answer go back to it, with state. */
    sealed interface Redirectable extends Checked {
        String redirectUri();

        String state();
    }

    /** Refused with an error for the redirect URI (§4.1.2.1). */
    record Refused(String redirectUri, String state, OAuthError error, String description) implements Redirectable {
    }

    /**
     * A valid request. {@code redirectUriSent}: the request named its redirect URI, so the token request
     * must repeat it (§4.1.3); {@code maxAge} null when absent.
     */
    record Valid(RegisteredClient client, String redirectUri, boolean redirectUriSent, String state, List<String> scopes,
                 String codeChallenge, String nonce, List<String> prompt, Long maxAge, String loginHint) implements Redirectable {
    }

    private final boolean userAuthenticatesRegistration;

    AuthorizationRequestRules(boolean userAuthenticatesRegistration) {
        this.userAuthenticatesRegistration = userAuthenticatesRegistration;
    }

    /**
     * @param params every parameter with all its values; client_id has already named {@code client}.
     *               request_uri is the caller's to resolve or refuse before.
     */
    Checked check(RegisteredClient client, Map<String, List<String>> params) {
        String sentRedirect = single(params, "redirect_uri");
        if (sentRedirect == null && params.containsKey("redirect_uri")) {
            return new Unredirectable("The request repeats redirect_uri.");
        }
        String redirectUri = redirectUri(client, sentRedirect);
        if (redirectUri == null) {
            return new Unredirectable(sentRedirect == null
                    ? "The request has no redirect_uri, and the application has more than one registered."
                    : "The redirect_uri of this request is not registered for the application.");
        }
        // From here on the redirect URI is the client's own: errors go back to it (§4.1.2.1).
        String state = single(params, "state");
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getValue().size() > 1) {
                return refused(redirectUri, state, OAuthError.INVALID_REQUEST, "The parameter " + e.getKey() + " is repeated");
            }
        }
        if (params.containsKey("request")) {
            return refused(redirectUri, state, OAuthError.REQUEST_NOT_SUPPORTED, "Request objects are not supported");
        }
        String responseType = single(params, "response_type");
        if (responseType == null) {
            return refused(redirectUri, state, OAuthError.INVALID_REQUEST, "response_type is required");
        }
        if (!"code".equals(responseType)) {
            return refused(redirectUri, state, OAuthError.UNSUPPORTED_RESPONSE_TYPE, "Only response_type=code is supported");
        }
        String responseMode = single(params, "response_mode");
        if (responseMode != null && !"query".equals(responseMode)) {
            return refused(redirectUri, state, OAuthError.INVALID_REQUEST, "Only response_mode=query is supported");
        }
        if (!client.grantTypes().contains("authorization_code")) {
            return refused(redirectUri, state, OAuthError.UNAUTHORIZED_CLIENT,
                    "The application is not registered for the authorization code flow");
        }
        String scopeParam = single(params, "scope");
        List<String> scopes = scopeParam == null ? client.scopes() : Scopes.parse(scopeParam);
        for (String s : scopes) {
            if (!client.scopes().contains(s)) {
                return refused(redirectUri, state, OAuthError.INVALID_SCOPE, "scope '" + s + "' is not registered for this application");
            }
        }
        if (scopes.isEmpty()) {
            return refused(redirectUri, state, OAuthError.INVALID_SCOPE, "No scope was requested and the application has none registered");
        }
        if (scopes.contains(TokenService.DCR_SCOPE) && !userAuthenticatesRegistration) {
            return refused(redirectUri, state, OAuthError.INVALID_SCOPE,
                    "Registration authorised by a user's login is disabled on this server");
        }
        if (scopes.contains("openid") && sentRedirect == null) {
            return refused(redirectUri, state, OAuthError.INVALID_REQUEST, "redirect_uri is required for OpenID Connect requests");
        }
        String challenge = single(params, "code_challenge");
        String method = single(params, "code_challenge_method");
        if (challenge != null) {
            // RFC 7636 §4.3: the method defaults to plain, which this server refuses (RFC 9700 §2.1.1).
            if (!"S256".equals(method)) {
                return refused(redirectUri, state, OAuthError.INVALID_REQUEST, "code_challenge_method must be S256; plain is not accepted");
            }
            if (!CODE_CHALLENGE.matcher(challenge).matches()) {
                return refused(redirectUri, state, OAuthError.INVALID_REQUEST,
                        "code_challenge must be the base64url SHA-256 of the verifier (43 characters)");
            }
        } else if (method != null) {
            return refused(redirectUri, state, OAuthError.INVALID_REQUEST, "code_challenge_method was sent without code_challenge");
        } else if (client.isPublic()) {
            return refused(redirectUri, state, OAuthError.INVALID_REQUEST,
                    "PKCE is required for public clients: send code_challenge with S256");
        } else if (client.pkceRequired()) {
            // FAPI 2.0 Security Profile §5.3.2.2: PKCE with S256 for every client, confidential ones too.
            return refused(redirectUri, state, OAuthError.INVALID_REQUEST,
                    "PKCE is required for this client by its security profile: send code_challenge with S256");
        }
        String nonce = single(params, "nonce");
        if (nonce != null && nonce.length() > 512) {
            return refused(redirectUri, state, OAuthError.INVALID_REQUEST, "nonce is too long");
        }
        List<String> prompt = single(params, "prompt") == null ? List.of() : Scopes.parse(single(params, "prompt"));
        if (!PROMPTS.containsAll(prompt) || (prompt.contains("none") && prompt.size() > 1)) {
            return refused(redirectUri, state, OAuthError.INVALID_REQUEST, "prompt must be none, or any of login, consent, select_account");
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
                return refused(redirectUri, state, OAuthError.INVALID_REQUEST, "max_age must be a non-negative number of seconds");
            }
        }
        return new Valid(client, redirectUri, sentRedirect != null, state, scopes, challenge, nonce, prompt, maxAge,
                single(params, "login_hint"));
    }

    private static Refused refused(String redirectUri, String state, OAuthError error, String description) {
        return new Refused(redirectUri, state, error, description);
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

    /** The parameter's only value; null when absent or repeated. */
    static String single(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.size() != 1 ? null : v.getFirst();
    }
}
