package io.registrar.statement;

import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.Param;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.RegistrationPolicy;
import io.registrar.policy.Trace;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The directory claims of a client's software statement, held against the metadata that will be
 * stored (after defaults and overrides, so that no default slips past them). The statement is the
 * one the request brought or, on an update without one, the one the client last registered with:
 * <ul>
 *   <li>{@code software_redirect_uris}: the client's redirect_uris must be among them;</li>
 *   <li>{@code software_jwks_uri} / {@code software_jwks_endpoint}: the client's jwks_uri must be it,
 *       and jwks by value is refused, when the directory says requireJwksUriFromStatement;</li>
 *   <li>{@code software_roles}: the scopes the directory's roleScopes give those roles are the only
 *       ones kept (RFC 7591 §2 lets the server replace requested values; the response shows them).</li>
 * </ul>
 */
final class StatementPolicy implements RegistrationPolicy {

    static final String SOFTWARE_REDIRECT_URIS = "software_redirect_uris";
    static final String SOFTWARE_JWKS_URI = "software_jwks_uri";
    static final String SOFTWARE_JWKS_ENDPOINT = "software_jwks_endpoint";
    static final String SOFTWARE_ROLES = "software_roles";

    private final Map<String, TrustedDirectory> directories;

    StatementPolicy(Map<String, TrustedDirectory> directories) {
        this.directories = Map.copyOf(directories);
    }

    @Override
    public String name(PolicyContext context) {
        return "statement claims";
    }

    /** Recorded only when there is a statement to hold the metadata to. */
    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata, Trace trace) {
        return context.request().statementClaims().isEmpty() ? metadata : RegistrationPolicy.super.apply(context, metadata, trace);
    }

    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata) {
        Map<String, Object> claims = context.request().statementClaims();
        if (claims.isEmpty()) {
            return metadata;
        }
        ClientMetadata out = metadata;
        if (claims.get(SOFTWARE_REDIRECT_URIS) instanceof Collection<?> allowed && out.redirectUris() != null) {
            for (String uri : out.redirectUris()) {
                if (!allowed.contains(uri)) {
                    throw OAuthException.invalidRedirectUri("redirect_uri " + uri + " is not among the software statement's "
                            + SOFTWARE_REDIRECT_URIS);
                }
            }
        }
        TrustedDirectory directory = directories.get(String.valueOf(claims.get("iss")));
        if (directory == null) {
            // A statement stored from a directory no longer configured: its claims still win, its rules are gone.
            return out;
        }
        if (directory.config().requireJwksUriFromStatement()) {
            Object fromStatement = claims.getOrDefault(SOFTWARE_JWKS_URI, claims.get(SOFTWARE_JWKS_ENDPOINT));
            if (out.has(Param.JWKS)) {
                throw OAuthException.invalidClientMetadata("jwks by value is refused: the client's keys are published at the software "
                        + "statement's " + SOFTWARE_JWKS_URI + " and registered by jwks_uri");
            }
            String jwksUri = out.string(Param.JWKS_URI);
            if (jwksUri != null && !jwksUri.equals(fromStatement)) {
                throw OAuthException.invalidClientMetadata("jwks_uri must be the software statement's " + SOFTWARE_JWKS_URI
                        + (fromStatement == null ? ", which it does not have" : " (" + fromStatement + ")"));
            }
        }
        Set<String> allowedScopes = directory.scopesAllowedFor(claims.get(SOFTWARE_ROLES));
        List<String> scopes = out.scopes();
        if (allowedScopes != null && scopes != null) {
            List<String> kept = scopes.stream().filter(allowedScopes::contains).distinct().toList();
            out = kept.isEmpty() ? out.without(Param.SCOPE) : out.with(Param.SCOPE, String.join(" ", kept));
        }
        return out;
    }
}
