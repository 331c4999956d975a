package io.registrar.discovery;

import io.registrar.config.RegistrarConfig;
import io.registrar.token.TokenService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Authorization server metadata (RFC 8414 §2; OpenID Connect Discovery 1.0 §3), built once from the
 * same configuration that decides which routes exist, so what is advertised is what is served.
 */
public final class ServerMetadata {

    /** What the token endpoint implements in this build. */
    public static final List<String> GRANT_TYPES_SUPPORTED = List.of("client_credentials");
    public static final List<String> TOKEN_AUTH_METHODS_SUPPORTED = List.of("client_secret_basic", "client_secret_post");
    public static final List<String> ID_TOKEN_ALGS = List.of("RS256", "PS256", "ES256");

    private ServerMetadata() {
    }

    public static Map<String, Object> build(RegistrarConfig config, String issuer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("token_endpoint", issuer + Endpoints.TOKEN);
        m.put("introspection_endpoint", issuer + Endpoints.INTROSPECTION);
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
        // Registration accepts code-flow clients (the default grant type is authorization_code);
        // "code" is the only response type a client may register.
        m.put("response_types_supported", List.of("code"));
        m.put("grant_types_supported", GRANT_TYPES_SUPPORTED);
        m.put("token_endpoint_auth_methods_supported", TOKEN_AUTH_METHODS_SUPPORTED);
        // RFC 8414 §2: token_endpoint_auth_signing_alg_values_supported is only meaningful (and only
        // present) when private_key_jwt or client_secret_jwt is offered; neither is in this build.
        m.put("introspection_endpoint_auth_methods_supported", TOKEN_AUTH_METHODS_SUPPORTED);
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", ID_TOKEN_ALGS);
        return m;
    }
}
