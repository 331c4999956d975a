package io.registrar.policy;

import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.Param;

import java.util.List;
import java.util.Set;

/**
 * Configured overrides: what policy forces whatever the request said (PRODUCT.md: "overrides what
 * policy forbids"). Scopes are capped to the allowed set — RFC 7591 §2 lets the server replace a
 * requested value, and the response shows what was stored.
 */
public final class OverridesPolicy implements RegistrationPolicy {

    private final String forcedAuthMethod;
    private final String forcedIdTokenAlg;
    private final Set<String> allowedScopes;

    public OverridesPolicy(String forcedAuthMethod, String forcedIdTokenAlg, Set<String> allowedScopes) {
        this.forcedAuthMethod = blankToNull(forcedAuthMethod);
        this.forcedIdTokenAlg = blankToNull(forcedIdTokenAlg);
        this.allowedScopes = Set.copyOf(allowedScopes);
    }

    @Override
    public String name(PolicyContext context) {
        return "overrides";
    }

    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata m) {
        ClientMetadata out = m;
        if (forcedAuthMethod != null) {
            out = out.with(Param.TOKEN_ENDPOINT_AUTH_METHOD, forcedAuthMethod);
        }
        if (forcedIdTokenAlg != null) {
            out = out.with(Param.ID_TOKEN_SIGNED_RESPONSE_ALG, forcedIdTokenAlg);
        }
        List<String> scopes = out.scopes();
        if (scopes != null) {
            List<String> kept = scopes.stream().filter(allowedScopes::contains).distinct().toList();
            out = kept.isEmpty() ? out.without(Param.SCOPE) : out.with(Param.SCOPE, String.join(" ", kept));
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
