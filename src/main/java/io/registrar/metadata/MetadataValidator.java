package io.registrar.metadata;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.registrar.oauth.OAuthException;
import io.registrar.oauth.Vocabulary;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Cross-field rules on the metadata that will be STORED, i.e. after policies have set defaults and
 * overrides (RFC 7591 §2, OpenID Connect DCR 1.0 §2, RFC 8705 §2). Side-effect free; throws
 * {@link OAuthException} on the first violation, naming the field.
 */
public final class MetadataValidator {

    /**
     * What this server accepts. {@code certificateBoundTokens}: mTLS is on, so tokens can be bound
     * (RFC 8705 §3). {@code fetchableUrl}: the outbound client's verdict on a URL the server would
     * fetch (jwks_uri) — null when it may be fetched, else why not.
     */
    public record Capabilities(Vocabulary vocabulary, Set<String> scopes, boolean allowHttpLocalhostRedirects,
                               boolean certificateBoundTokens, Function<URI, String> fetchableUrl) {
        public Capabilities {
            Objects.requireNonNull(vocabulary, "vocabulary");
            scopes = Set.copyOf(scopes);
        }
    }

    static final int MAX_REDIRECT_URIS = 50;
    private static final Set<String> KEY_BASED_AUTH = Set.of("private_key_jwt", "self_signed_tls_client_auth");

    private final Capabilities caps;

    public MetadataValidator(Capabilities caps) {
        this.caps = Objects.requireNonNull(caps, "caps");
    }

    public void validate(ClientMetadata m) {
        supportedValues(m);
        grantTypesMatchResponseTypes(m);
        redirectUrisMatchApplicationType(m);
        urlsAreUrls(m);
        jwksXorJwksUri(m);
        jwksIsAKeySet(m);
        authMethodHasKeys(m);
        tlsClientAuthHasOneSubject(m);
        signingAlgFitsMethod(m);
        certificateBoundTokensNeedMtls(m);
        pushedRequestsNeedTheCodeFlow(m);
        publicClientsUseNoClientCredentialsGrant(m);
        scopesAreAllowed(m);
    }

    void supportedValues(ClientMetadata m) {
        String method = m.authMethod();
        if (method != null && !caps.vocabulary().registrationAuthMethods().contains(method)) {
            throw OAuthException.invalidClientMetadata(Param.TOKEN_ENDPOINT_AUTH_METHOD + ": '" + method
                    + "' is not supported; supported: " + sorted(caps.vocabulary().registrationAuthMethods()));
        }
        List<String> responses = m.responseTypes();
        if (responses != null) {
            for (String r : responses) {
                if (!caps.vocabulary().responseTypes().contains(r)) {
                    throw OAuthException.invalidClientMetadata(Param.RESPONSE_TYPES + ": '" + r
                            + "' is not supported; supported: " + sorted(caps.vocabulary().responseTypes()));
                }
            }
        }
        List<String> grants = m.grantTypes();
        if (grants != null) {
            if (grants.isEmpty()) {
                throw OAuthException.invalidClientMetadata(Param.GRANT_TYPES + " must not be empty");
            }
            for (String g : grants) {
                if (!caps.vocabulary().grantTypes().contains(g)) {
                    throw OAuthException.invalidClientMetadata(Param.GRANT_TYPES + ": '" + g
                            + "' is not supported; supported: " + sorted(caps.vocabulary().grantTypes()));
                }
            }
        }
        String alg = m.string(Param.ID_TOKEN_SIGNED_RESPONSE_ALG);
        if (alg != null && !caps.vocabulary().idTokenAlgs().contains(alg)) {
            throw OAuthException.invalidClientMetadata(Param.ID_TOKEN_SIGNED_RESPONSE_ALG + ": '" + alg
                    + "' is not supported; supported: " + sorted(caps.vocabulary().idTokenAlgs()));
        }
        String subjectType = m.string(Param.SUBJECT_TYPE);
        if (subjectType != null && !"public".equals(subjectType)) {
            throw OAuthException.invalidClientMetadata(Param.SUBJECT_TYPE + ": only 'public' is supported");
        }
    }

    /** OpenID Connect DCR 1.0 §2 (grant_types): the response types a client uses need their grant types, and back. */
    void grantTypesMatchResponseTypes(ClientMetadata m) {
        List<String> grants = m.grantTypes() == null ? List.of() : m.grantTypes();
        List<String> responses = m.responseTypes() == null ? List.of() : m.responseTypes();
        boolean codeResponse = responses.contains("code");
        boolean codeGrant = grants.contains("authorization_code");
        if (codeResponse && !codeGrant) {
            throw OAuthException.invalidClientMetadata(Param.GRANT_TYPES
                    + " must include authorization_code when response_types includes code");
        }
        if (codeGrant && !codeResponse) {
            throw OAuthException.invalidClientMetadata(Param.RESPONSE_TYPES
                    + " must include code when grant_types includes authorization_code");
        }
        // RFC 6749 §4.4.3 / §6: refresh tokens come from the code flow, never from client_credentials.
        if (grants.contains("refresh_token") && !codeGrant) {
            throw OAuthException.invalidClientMetadata(Param.GRANT_TYPES
                    + ": refresh_token requires authorization_code");
        }
    }

    /** Also used at start-up for statically configured code-flow clients. */
    public void redirectUrisMatchApplicationType(ClientMetadata m) {
        List<String> uris = m.redirectUris();
        List<String> grants = m.grantTypes() == null ? List.of() : m.grantTypes();
        // OpenID Connect DCR 1.0 §2: redirect_uris is REQUIRED; RFC 7591 §2 requires it for redirect-based flows.
        if (grants.contains("authorization_code") && (uris == null || uris.isEmpty())) {
            throw OAuthException.invalidRedirectUri(Param.REDIRECT_URIS
                    + " is required when grant_types includes authorization_code");
        }
        String type = m.applicationType();
        if (uris != null) {
            if (uris.size() > MAX_REDIRECT_URIS) {
                throw OAuthException.invalidRedirectUri(Param.REDIRECT_URIS + ": at most " + MAX_REDIRECT_URIS + " are accepted");
            }
            for (String uri : uris) {
                RedirectUriRules.check(Param.REDIRECT_URIS, uri, type, caps.allowHttpLocalhostRedirects());
            }
        }
        List<String> logout = m.strings(Param.POST_LOGOUT_REDIRECT_URIS);
        if (logout != null) {
            for (String uri : logout) {
                try {
                    RedirectUriRules.check(Param.POST_LOGOUT_REDIRECT_URIS, uri, type, caps.allowHttpLocalhostRedirects());
                } catch (OAuthException e) {
                    throw OAuthException.invalidClientMetadata(e.description());
                }
            }
        }
    }

    /** RFC 7591 §2: logo_uri, client_uri, policy_uri, tos_uri (and their #lang forms) are URLs; jwks_uri and friends are https. */
    void urlsAreUrls(ClientMetadata m) {
        for (var e : m.document().entrySet()) {
            String base = e.getKey().contains("#") ? e.getKey().substring(0, e.getKey().indexOf('#')) : e.getKey();
            if (Param.URL_PARAMS.contains(base)) {
                requireUrl(e.getKey(), e.getValue(), Set.of("https", "http"));
            }
        }
        for (String p : List.of(Param.SECTOR_IDENTIFIER_URI, Param.INITIATE_LOGIN_URI)) {
            if (m.has(p)) {
                requireUrl(p, m.document().get(p), Set.of("https"));
            }
        }
        if (m.has(Param.JWKS_URI)) {
            // The server fetches jwks_uri, so the outbound client's rules (https, no internal addresses) apply now.
            String text = String.valueOf(m.document().get(Param.JWKS_URI));
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw OAuthException.invalidClientMetadata(Param.JWKS_URI + ": '" + text + "' is not a valid URL");
            }
            String problem = uri.isAbsolute() ? caps.fetchableUrl().apply(uri) : "it must be an absolute https URL";
            if (problem != null) {
                throw OAuthException.invalidClientMetadata(Param.JWKS_URI + ": " + problem);
            }
        }
    }

    private static void requireUrl(String field, Object value, Set<String> schemes) {
        String text = value == null ? null : value.toString();
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase()) || uri.getHost() == null) {
                throw OAuthException.invalidClientMetadata(field + ": '" + text + "' must be an absolute "
                        + String.join(" or ", sorted(schemes)) + " URL");
            }
        } catch (URISyntaxException | NullPointerException e) {
            throw OAuthException.invalidClientMetadata(field + ": '" + text + "' is not a valid URL");
        }
    }

    /** RFC 7591 §2: jwks_uri and jwks MUST NOT both be present. */
    void jwksXorJwksUri(ClientMetadata m) {
        if (m.has(Param.JWKS) && m.has(Param.JWKS_URI)) {
            throw OAuthException.invalidClientMetadata("jwks and jwks_uri must not both be present (RFC 7591 §2)");
        }
    }

    /**
     * A usable JWK Set: at least one key, no kid twice. That it holds public keys only is
     * {@link MetadataJson#parse}'s check, which must come before the SDK quietly drops private halves.
     */
    @SuppressWarnings("unchecked")
    void jwksIsAKeySet(ClientMetadata m) {
        Object jwks = m.document().get(Param.JWKS);
        if (jwks == null) {
            return;
        }
        JWKSet set;
        try {
            set = JWKSet.parse((Map<String, Object>) jwks);
        } catch (java.text.ParseException | ClassCastException e) {
            throw OAuthException.invalidClientMetadata("jwks is not a valid JWK Set: " + e.getMessage());
        }
        if (set.getKeys().isEmpty()) {
            throw OAuthException.invalidClientMetadata("jwks must contain at least one key");
        }
        Set<String> kids = new HashSet<>();
        for (JWK key : set.getKeys()) {
            if (key.getKeyID() != null && !kids.add(key.getKeyID())) {
                throw OAuthException.invalidClientMetadata("jwks: the kid '" + key.getKeyID() + "' is used twice");
            }
        }
    }

    void authMethodHasKeys(ClientMetadata m) {
        if (KEY_BASED_AUTH.contains(m.authMethod()) && !m.has(Param.JWKS) && !m.has(Param.JWKS_URI)) {
            throw OAuthException.invalidClientMetadata(Param.TOKEN_ENDPOINT_AUTH_METHOD + ": '" + m.authMethod()
                    + "' requires jwks or jwks_uri");
        }
    }

    /** RFC 8705 §2.1.2: exactly one subject parameter for tls_client_auth. */
    void tlsClientAuthHasOneSubject(ClientMetadata m) {
        if (!"tls_client_auth".equals(m.authMethod())) {
            return;
        }
        long n = Param.TLS_SUBJECT_PARAMS.stream().filter(m::has).count();
        if (n != 1) {
            throw OAuthException.invalidClientMetadata("tls_client_auth requires exactly one of "
                    + String.join(", ", Param.TLS_SUBJECT_PARAMS) + "; " + n + " given");
        }
        String dn = m.string(Param.TLS_CLIENT_AUTH_SUBJECT_DN);
        if (dn != null && !io.registrar.crypto.DistinguishedNames.isValid(dn)) {
            throw OAuthException.invalidClientMetadata(Param.TLS_CLIENT_AUTH_SUBJECT_DN + ": '" + dn
                    + "' is not an RFC 4514 distinguished name");
        }
    }

    /**
     * OpenID Connect DCR 1.0 §2: token_endpoint_auth_signing_alg names the one algorithm the client
     * will sign its assertions with; it belongs to the JWT methods, and "none" is never allowed.
     */
    void signingAlgFitsMethod(ClientMetadata m) {
        String alg = m.string(Param.TOKEN_ENDPOINT_AUTH_SIGNING_ALG);
        if (alg == null) {
            return;
        }
        List<String> allowed = caps.vocabulary().assertionAlgsFor(m.authMethod());
        if (allowed.isEmpty()) {
            throw OAuthException.invalidClientMetadata(Param.TOKEN_ENDPOINT_AUTH_SIGNING_ALG
                    + " applies only to private_key_jwt and client_secret_jwt");
        }
        if (!allowed.contains(alg)) {
            throw OAuthException.invalidClientMetadata(Param.TOKEN_ENDPOINT_AUTH_SIGNING_ALG + ": '" + alg
                    + "' is not allowed for " + m.authMethod() + "; allowed: " + allowed);
        }
    }

    void certificateBoundTokensNeedMtls(ClientMetadata m) {
        if (Boolean.TRUE.equals(m.document().get(Param.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS)) && !caps.certificateBoundTokens()) {
            throw OAuthException.invalidClientMetadata(Param.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS
                    + ": this server does not accept client certificates (RFC 8705 §3)");
        }
    }

    /** RFC 9126 §6: requiring pushed authorization requests means something only to a client that makes them. */
    void pushedRequestsNeedTheCodeFlow(ClientMetadata m) {
        List<String> grants = m.grantTypes() == null ? List.of() : m.grantTypes();
        if (Boolean.TRUE.equals(m.document().get(Param.REQUIRE_PUSHED_AUTHORIZATION_REQUESTS)) && !grants.contains("authorization_code")) {
            throw OAuthException.invalidClientMetadata(Param.REQUIRE_PUSHED_AUTHORIZATION_REQUESTS
                    + " applies only to a client whose grant_types include authorization_code");
        }
    }

    /** RFC 6749 §4.4: client_credentials is for confidential clients only. */
    void publicClientsUseNoClientCredentialsGrant(ClientMetadata m) {
        List<String> grants = m.grantTypes();
        if ("none".equals(m.authMethod()) && grants != null && grants.contains("client_credentials")) {
            throw OAuthException.invalidClientMetadata(Param.GRANT_TYPES
                    + ": client_credentials requires client authentication; token_endpoint_auth_method none cannot use it");
        }
    }

    void scopesAreAllowed(ClientMetadata m) {
        List<String> scopes = m.scopes();
        if (scopes == null) {
            return;
        }
        for (String s : scopes) {
            if (!caps.scopes().contains(s)) {
                throw OAuthException.invalidClientMetadata(Param.SCOPE + ": '" + s + "' is not allowed");
            }
        }
    }

    private static List<String> sorted(java.util.Collection<String> values) {
        return values.stream().sorted().toList();
    }
}
