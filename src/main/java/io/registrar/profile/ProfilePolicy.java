package io.registrar.profile;

import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.Param;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.oauth.Vocabulary;
import io.registrar.policy.Operation;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.RegistrationPolicy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A security profile's rules as one step of the policy chain (after the defaults, before declarative
 * rules and plug-ins; issue 20 §0, §6). Where the request left a member to the server's default and
 * that default is not allowed, the profile's own first choice is given instead (RFC 7591 §2: the
 * server may provide defaults, and the response shows them); a value the client asked for that the
 * profile does not allow is refused, naming the profile and the rule. Members the profile requires
 * (certificate-bound tokens, pushed authorization requests) are set whatever was asked.
 */
public final class ProfilePolicy implements RegistrationPolicy {

    /** Client metadata that names a JWS algorithm (RFC 7591 §2, OpenID Connect DCR 1.0 §2, RFC 9101 §10.5). */
    static final List<String> ALGORITHM_MEMBERS = List.of(Param.ID_TOKEN_SIGNED_RESPONSE_ALG, Param.TOKEN_ENDPOINT_AUTH_SIGNING_ALG,
            "userinfo_signed_response_alg", "request_object_signing_alg", "introspection_signed_response_alg",
            "authorization_signed_response_alg");
    static final List<String> SAN_PARAMETERS = List.of(Param.TLS_CLIENT_AUTH_SAN_DNS, Param.TLS_CLIENT_AUTH_SAN_URI,
            Param.TLS_CLIENT_AUTH_SAN_IP, Param.TLS_CLIENT_AUTH_SAN_EMAIL);

    private final Profile profile;
    private final Clock clock;

    public ProfilePolicy(Profile profile, Clock clock) {
        this.profile = profile;
        this.clock = clock;
    }

    public Profile profile() {
        return profile;
    }

    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata) {
        requireWayIn(context);
        ClientMetadata asked = context.request().metadata();
        Profile.ClientRules rules = profile.clients();
        ClientMetadata m = metadata;

        if (!rules.authMethods().isEmpty() && !rules.authMethods().contains(m.authMethod())) {
            if (asked.has(Param.TOKEN_ENDPOINT_AUTH_METHOD)) {
                throw refuse(Param.TOKEN_ENDPOINT_AUTH_METHOD + " must be one of " + rules.authMethods());
            }
            m = m.with(Param.TOKEN_ENDPOINT_AUTH_METHOD, rules.authMethods().getFirst());
        }
        if (!rules.signingAlgs().isEmpty()) {
            for (String member : ALGORITHM_MEMBERS) {
                String alg = m.string(member);
                if (alg == null || rules.signingAlgs().contains(alg)) {
                    continue;
                }
                if (asked.has(member) || !Param.ID_TOKEN_SIGNED_RESPONSE_ALG.equals(member)) {
                    throw refuse(member + " must be one of " + rules.signingAlgs());
                }
                String signable = rules.signingAlgs().stream().filter(Vocabulary.ID_TOKEN_ALGS::contains).findFirst()
                        .orElseThrow(() -> refuse("none of " + rules.signingAlgs() + " can sign this server's ID tokens"));
                m = m.with(member, signable);
            }
        }
        allowedValues(m.responseTypes(), rules.responseTypes(), Param.RESPONSE_TYPES);
        allowedValues(m.grantTypes(), rules.grantTypes(), Param.GRANT_TYPES);
        if (rules.httpsRedirectUris()) {
            for (String uri : listOrEmpty(m.redirectUris())) {
                if (!uri.startsWith("https://")) {
                    throw OAuthException.invalidRedirectUri(prefix() + "every redirect URI must be https: " + uri);
                }
            }
        }
        if (rules.tlsClientAuthSubjectDn() && "tls_client_auth".equals(m.authMethod())
                && SAN_PARAMETERS.stream().anyMatch(m::has)) {
            throw refuse("tls_client_auth must name its certificate by " + Param.TLS_CLIENT_AUTH_SUBJECT_DN + ", not a SAN parameter");
        }
        if (rules.jwksByValueRefused() && m.has(Param.JWKS)) {
            throw refuse("keys must be registered by " + Param.JWKS_URI + ", not by value (" + Param.JWKS + ")");
        }
        Map<String, Object> statement = context.request().statementClaims();
        if (rules.jwksUriFromStatement()) {
            m = jwksUriFromStatement(m, statement);
        }
        if (rules.redirectUrisFromStatement() && m.redirectUris() != null && !m.redirectUris().isEmpty()) {
            if (!(statement.get("software_redirect_uris") instanceof List<?> allowed)) {
                throw OAuthException.of(OAuthError.INVALID_SOFTWARE_STATEMENT, prefix()
                        + "the software statement must list software_redirect_uris");
            }
            for (String uri : m.redirectUris()) {
                if (!allowed.contains(uri)) {
                    throw OAuthException.invalidRedirectUri(prefix() + uri + " is not among the software statement's software_redirect_uris");
                }
            }
        }
        if (rules.certificateBoundTokens()) {
            m = m.with(Param.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS, true);
        }
        if (rules.pushedAuthorizationRequests() && m.grantTypes() != null && m.grantTypes().contains("authorization_code")) {
            m = m.with(Param.REQUIRE_PUSHED_AUTHORIZATION_REQUESTS, true);
        }
        return m;
    }

    /**
     * How a registration must have arrived: over mTLS, with a statement, as a signed request. An update
     * is judged by {@link #requireStatementOnUpdate}, since by this step an update's statement claims may
     * be the stored ones of an earlier statement.
     */
    private void requireWayIn(PolicyContext context) {
        if (context.operation() != Operation.REGISTER) {
            return;
        }
        Profile.RegistrationRules rules = profile.registration();
        Map<String, Object> statement = context.request().statementClaims();
        if (rules.mutualTls() && context.registrant().certificate() == null) {
            throw OAuthException.invalidToken(prefix() + "registration must come over mutual TLS with a certificate of a trusted issuer");
        }
        if (rules.signedRequest() && context.request().signedRequestClaims().isEmpty()) {
            throw refuse("the registration request must be a signed JWT (Content-Type: application/jwt)");
        }
        if (rules.softwareStatement() && statement.isEmpty()) {
            throw OAuthException.of(OAuthError.INVALID_SOFTWARE_STATEMENT, prefix() + "a software statement is required");
        }
        requireFresh(profile, statement, clock);
    }

    /**
     * A signed registration request (application/jwt) is signed with one of the profile's algorithms
     * too, not only the JWTs the client will sign later (Australia's CDR: PS256; FAPI 2.0 §5.4.1). The
     * statement inside is the directory's, held to the directory's own algorithms.
     */
    public static void requireAlgorithms(Profile profile, List<String> signedWith) {
        List<String> allowed = profile.clients().signingAlgs();
        for (String alg : signedWith) {
            if (!allowed.isEmpty() && !allowed.contains(alg)) {
                throw OAuthException.invalidClientMetadata("Security profile " + profile.name() + ": the request is signed with " + alg
                        + "; it must be signed with one of " + allowed);
            }
        }
    }

    /**
     * An update (RFC 7592 §2.2) under {@code profile}: {@code freshStatement} is the verified claims of
     * the statement the update itself brought (empty: none).
     */
    public static void requireStatementOnUpdate(Profile profile, Map<String, Object> freshStatement, Clock clock) {
        if (profile.registration().statementOnUpdate() && freshStatement.isEmpty()) {
            throw OAuthException.of(OAuthError.INVALID_SOFTWARE_STATEMENT, "Security profile " + profile.name()
                    + ": a software statement is required on every update");
        }
        requireFresh(profile, freshStatement, clock);
    }

    private static void requireFresh(Profile profile, Map<String, Object> statement, Clock clock) {
        Duration maxAge = profile.registration().statementMaxAge();
        if (maxAge == null || statement.isEmpty()) {
            return;
        }
        String prefix = "Security profile " + profile.name() + ": ";
        if (!(statement.get("iat") instanceof Number iat)) {
            throw OAuthException.of(OAuthError.INVALID_SOFTWARE_STATEMENT, prefix + "the software statement has no iat");
        }
        if (Instant.ofEpochSecond(iat.longValue()).plus(maxAge).isBefore(clock.instant())) {
            throw OAuthException.of(OAuthError.INVALID_SOFTWARE_STATEMENT, prefix + "the software statement was issued more than "
                    + maxAge.toSeconds() + " s ago");
        }
    }

    /** jwks_uri is the one the directory published for the software; given from the statement when absent. */
    private ClientMetadata jwksUriFromStatement(ClientMetadata m, Map<String, Object> statement) {
        Object published = statement.getOrDefault("software_jwks_uri", statement.get("software_jwks_endpoint"));
        if (!(published instanceof String uri)) {
            throw OAuthException.of(OAuthError.INVALID_SOFTWARE_STATEMENT, prefix()
                    + "the software statement must name software_jwks_uri (or software_jwks_endpoint)");
        }
        String registered = m.string(Param.JWKS_URI);
        if (registered == null) {
            return m.with(Param.JWKS_URI, uri);
        }
        if (!sameUri(registered, uri)) {
            throw refuse(Param.JWKS_URI + " must be the software statement's " + uri);
        }
        return m;
    }

    private static boolean sameUri(String a, String b) {
        try {
            return URI.create(a).normalize().equals(URI.create(b).normalize());
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }

    private void allowedValues(List<String> values, List<String> allowed, String member) {
        if (allowed.isEmpty()) {
            return;
        }
        for (String v : listOrEmpty(values)) {
            if (!allowed.contains(v)) {
                throw refuse(member + " may contain only " + allowed + ", not '" + v + "'");
            }
        }
    }

    private static List<String> listOrEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }

    private String prefix() {
        return "Security profile " + profile.name() + ": ";
    }

    private OAuthException refuse(String rule) {
        return OAuthException.invalidClientMetadata(prefix() + rule);
    }
}
