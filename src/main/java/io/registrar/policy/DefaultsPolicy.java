package io.registrar.policy;

import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.Param;

import java.util.List;
import java.util.Set;

/**
 * The one place where missing metadata gets its default (RFC 7591 §2, OpenID Connect DCR 1.0 §2):
 * grant_types {@code authorization_code}, response_types {@code code}, token_endpoint_auth_method
 * {@code client_secret_basic}, application_type {@code web}, id_token_signed_response_alg {@code RS256},
 * scope {@code registration.defaultScope}.
 * Defaults follow what was sent, so that the result is consistent: response_types defaults to
 * {@code []} for a client whose grant types have no authorization endpoint (e.g. only
 * client_credentials), and grant_types defaults from the response types sent.
 */
public final class DefaultsPolicy implements RegistrationPolicy {

    /**
     * Scopes that ask for a signed-in user (OpenID Connect Core §3.1.2.1, §5.4, §11): a default only for
     * clients that can sign one in, through the authorization_code grant.
     */
    private static final Set<String> USER_SCOPES = Set.of("openid", "profile", "email", "address", "phone", "offline_access");

    private final List<String> defaultScope;

    /** @param defaultScope registration.defaultScope; the overrides that follow cap it to the allowed scopes */
    public DefaultsPolicy(List<String> defaultScope) {
        this.defaultScope = List.copyOf(defaultScope);
    }

    @Override
    public String name(PolicyContext context) {
        return "defaults";
    }

    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata m) {
        ClientMetadata out = m;
        List<String> grants = out.grantTypes();
        List<String> responses = out.responseTypes();
        if (grants == null) {
            // Only response type "code" is supported, so the default grant follows from it; a client
            // that sent response_types without code must say which grant types it wants.
            grants = responses == null || responses.contains("code") ? List.of("authorization_code") : List.of();
            out = out.with(Param.GRANT_TYPES, grants);
        }
        if (responses == null) {
            boolean usesAuthorizationEndpoint = grants.contains("authorization_code") || grants.contains("implicit");
            out = out.with(Param.RESPONSE_TYPES, usesAuthorizationEndpoint ? List.of("code") : List.of());
        }
        if (out.authMethod() == null) {
            out = out.with(Param.TOKEN_ENDPOINT_AUTH_METHOD, "client_secret_basic");
        }
        if (out.applicationType() == null) {
            out = out.with(Param.APPLICATION_TYPE, "web");
        }
        if (!out.has(Param.ID_TOKEN_SIGNED_RESPONSE_ALG)) {
            out = out.with(Param.ID_TOKEN_SIGNED_RESPONSE_ALG, ClientMetadata.DEFAULT_ID_TOKEN_SIGNED_RESPONSE_ALG);
        }
        if (out.scopes() == null) {
            // OpenID Connect DCR 1.0 has no scope member: without a default an OpenID Connect client
            // could never ask for openid (RFC 7591 §2: the server MAY provide a default).
            boolean signsUsersIn = grants.contains("authorization_code");
            List<String> scope = defaultScope.stream().filter(s -> signsUsersIn || !USER_SCOPES.contains(s)).toList();
            if (!scope.isEmpty()) {
                out = out.with(Param.SCOPE, String.join(" ", scope));
            }
        }
        return out;
    }
}
