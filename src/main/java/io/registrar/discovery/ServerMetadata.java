package io.registrar.discovery;

import io.registrar.oauth.Vocabulary;
import io.registrar.config.RegistrarConfig;
import io.registrar.token.TokenService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Authorization server metadata (RFC 8414 §2; OpenID Connect Discovery 1.0 §3; RFC 8705 §3.3, §5),
 * built once from the same configuration that decides which routes exist, so what is advertised is
 * what is served.
 */
public final class ServerMetadata {

    private ServerMetadata() {
    }

    /** @param mtlsBase base URL of the separate mTLS listener, or null when there is none */
    public static Map<String, Object> build(RegistrarConfig config, Vocabulary vocabulary, String issuer, String mtlsBase) {
        boolean mtls = config.server().mtls().enabled();
        List<String> authMethods = vocabulary.clientAuthMethods();
        List<String> signingAlgs = vocabulary.assertionAlgs();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("authorization_endpoint", issuer + Endpoints.AUTHORIZATION);
        m.put("token_endpoint", issuer + Endpoints.TOKEN);
        m.put("userinfo_endpoint", issuer + Endpoints.USERINFO);
        m.put("end_session_endpoint", issuer + Endpoints.END_SESSION);
        m.put("introspection_endpoint", issuer + Endpoints.INTROSPECTION);
        m.put("revocation_endpoint", issuer + Endpoints.REVOCATION);
        m.put("jwks_uri", issuer + Endpoints.JWKS);
        if (config.registration().enabled()) {
            m.put("registration_endpoint", issuer + Endpoints.REGISTRATION);
        }
        List<String> scopes = new ArrayList<>(config.registration().allowedScopes());
        if (config.registration().enabled()) {
            scopes.add(TokenService.DCR_SCOPE);
        }
        if (config.management().enabled()) {
            scopes.add(TokenService.DCRM_SCOPE);
        }
        m.put("scopes_supported", scopes);
        m.put("response_types_supported", vocabulary.responseTypes());
        m.put("response_modes_supported", List.of("query"));
        m.put("code_challenge_methods_supported", vocabulary.codeChallengeMethods());
        m.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        // RFC 9207: every authorization response names its issuer.
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "amr", "azp",
                "name", "preferred_username", "email", "email_verified"));
        m.put("request_parameter_supported", false);
        // request_uri only as RFC 9126 issues it; request objects by reference (RFC 9101 §5.2) are not fetched.
        m.put("request_uri_parameter_supported", false);
        // RFC 9126 §5: the PAR endpoint, and whether every client must use it (each may also require it
        // for itself, §6).
        m.put("pushed_authorization_request_endpoint", issuer + Endpoints.PUSHED_AUTHORIZATION_REQUEST);
        m.put("require_pushed_authorization_requests", config.par().required());
        m.put("grant_types_supported", vocabulary.grantTypes());
        // One authenticator serves the token, introspection, revocation and PAR endpoints alike.
        m.put("token_endpoint_auth_methods_supported", authMethods);
        m.put("token_endpoint_auth_signing_alg_values_supported", signingAlgs);
        m.put("introspection_endpoint_auth_methods_supported", authMethods);
        m.put("introspection_endpoint_auth_signing_alg_values_supported", signingAlgs);
        m.put("revocation_endpoint_auth_methods_supported", authMethods);
        m.put("revocation_endpoint_auth_signing_alg_values_supported", signingAlgs);
        m.put("tls_client_certificate_bound_access_tokens", mtls);
        if (mtlsBase != null) {
            Map<String, Object> aliases = new LinkedHashMap<>();
            aliases.put("token_endpoint", mtlsBase + Endpoints.TOKEN);
            aliases.put("introspection_endpoint", mtlsBase + Endpoints.INTROSPECTION);
            aliases.put("revocation_endpoint", mtlsBase + Endpoints.REVOCATION);
            // RFC 9126 §2: /par authenticates clients as the token endpoint does, certificates included.
            aliases.put("pushed_authorization_request_endpoint", mtlsBase + Endpoints.PUSHED_AUTHORIZATION_REQUEST);
            if (config.registration().enabled()) {
                aliases.put("registration_endpoint", mtlsBase + Endpoints.REGISTRATION);
            }
            m.put("mtls_endpoint_aliases", aliases);
        }
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", vocabulary.idTokenAlgs());
        return m;
    }
}
