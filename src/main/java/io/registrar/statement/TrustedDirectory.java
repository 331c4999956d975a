package io.registrar.statement;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.registrar.config.RegistrarConfig;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.outbound.JwksCache;
import io.registrar.outbound.OutboundException;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One directory whose software statements this server trusts (RFC 7591 §2.3), and the checks a
 * statement of it must pass, each failing with invalid_software_statement that names the check:
 * an accepted algorithm, a signature by one of its keys (fetched and cached, one early refetch on an
 * unknown kid), exp, nbf and iat within the clock skew, iat no older than maxAge, the required claims;
 * then its approval rules (unapproved_software_statement, naming the rule).
 */
final class TrustedDirectory {

    private final RegistrarConfig.Directory config;
    private final Set<String> algorithms;
    private final List<JWK> inlineKeys;
    private final URI jwksUri;
    private final JwksCache cache;
    private final Clock clock;

    TrustedDirectory(RegistrarConfig.Directory config, JwksCache cache, Clock clock) {
        this.config = config;
        this.algorithms = Set.copyOf(config.algorithms());
        this.cache = cache;
        this.clock = clock;
        if (config.jwks() != null) {
            try {
                inlineKeys = JWKSet.parse(config.jwks()).getKeys();
            } catch (ParseException e) {
                throw new IllegalArgumentException("directory " + config.issuer() + ": jwks is not a JWK Set", e);
            }
            jwksUri = null;
        } else if (config.jwksFile() != null && !config.jwksFile().isBlank()) {
            // Read once at start-up, as inline keys are (the demo directory's keys live in a file).
            try {
                inlineKeys = JWKSet.load(new java.io.File(config.jwksFile())).getKeys();
            } catch (java.io.IOException | ParseException e) {
                throw new IllegalArgumentException("directory " + config.issuer() + ": cannot read a JWK Set from " + config.jwksFile(), e);
            }
            jwksUri = null;
        } else {
            inlineKeys = null;
            jwksUri = URI.create(config.jwksUri());
        }
    }

    RegistrarConfig.Directory config() {
        return config;
    }

    String issuer() {
        return config.issuer();
    }

    /** The statement's claims, once every check passed. */
    Map<String, Object> verify(SignedJWT jwt, JWTClaimsSet claims) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!algorithms.contains(alg.getName())) {
            throw invalid("software_statement: alg " + alg.getName() + " is not accepted from directory " + issuer()
                    + "; accepted: " + config.algorithms());
        }
        JWKMatcher matcher = Jws.matcher(jwt);
        List<JWK> keys = keys(matcher);
        if (keys.isEmpty()) {
            String kid = jwt.getHeader().getKeyID();
            throw invalid("software_statement: directory " + issuer() + " has no " + alg.getName() + " signing key"
                    + (kid == null ? "" : " with kid '" + kid + "'"));
        }
        if (!Jws.verifiedByAny(jwt, keys)) {
            throw invalid("software_statement: the signature does not verify with the keys of directory " + issuer());
        }
        times(claims);
        for (String required : config.requiredClaims()) {
            if (claims.getClaim(required) == null) {
                throw invalid("software_statement lacks the claim " + required + ", which directory " + issuer() + " requires");
            }
        }
        Map<String, Object> out = claims.toJSONObject();
        approve(out);
        return out;
    }

    /** RFC 7519 §4.1.4, §4.1.5, §4.1.6, with the directory's clock skew; iat bounded by maxAge when one is set. */
    private void times(JWTClaimsSet c) {
        Instant now = clock.instant();
        Duration skew = config.clockSkew();
        Date exp = c.getExpirationTime();
        if (exp != null && !now.isBefore(exp.toInstant().plus(skew))) {
            throw invalid("software_statement has expired (exp)");
        }
        Date nbf = c.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            throw invalid("software_statement is not valid yet (nbf)");
        }
        Date iat = c.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(skew))) {
            throw invalid("software_statement: iat is in the future");
        }
        if (!config.maxAge().isZero()) {
            if (iat == null) {
                throw invalid("software_statement: iat is required by directory " + issuer() + " (maxAge)");
            }
            if (iat.toInstant().plus(config.maxAge()).plus(skew).isBefore(now)) {
                throw invalid("software_statement is too old: iat more than " + config.maxAge().toSeconds()
                        + " s ago (maxAge of directory " + issuer() + ")");
            }
        }
    }

    /** The directory's approval rules, in a fixed order; the first that fails is named. */
    private void approve(Map<String, Object> claims) {
        RegistrarConfig.Approval a = config.approval();
        for (var rule : new java.util.TreeMap<>(a.claimEquals()).entrySet()) {
            Object value = claims.get(rule.getKey());
            // YAML gives the rule's value as text; a claim of true or 3 matches "true" or "3".
            boolean scalar = value instanceof String || value instanceof Number || value instanceof Boolean;
            if (!scalar || !rule.getValue().equals(String.valueOf(value))) {
                throw unapproved("approval rule claimEquals." + rule.getKey() + " of directory " + issuer() + ": "
                        + rule.getKey() + " must be '" + rule.getValue() + "'" + (value == null ? ", it is absent" : ", it is '" + value + "'"));
            }
        }
        for (var rule : new java.util.TreeMap<>(a.claimContainsAny()).entrySet()) {
            Object value = claims.get(rule.getKey());
            Collection<?> held = value instanceof Collection<?> list ? list : value == null ? List.of() : List.of(value);
            if (held.stream().map(String::valueOf).noneMatch(rule.getValue()::contains)) {
                throw unapproved("approval rule claimContainsAny." + rule.getKey() + " of directory " + issuer() + ": "
                        + rule.getKey() + " must hold one of " + rule.getValue());
            }
        }
        Object softwareId = claims.get("software_id");
        if (softwareId != null && a.deniedSoftwareIds().contains(String.valueOf(softwareId))) {
            throw unapproved("approval rule deniedSoftwareIds of directory " + issuer() + ": software_id '" + softwareId + "' is denied");
        }
    }

    /** The directory's keys that match the header; a kid not among them refetches once (key rotation). */
    private List<JWK> keys(JWKMatcher matcher) {
        if (inlineKeys != null) {
            return inlineKeys.stream().filter(matcher::matches).toList();
        }
        try {
            return cache.keysWhere(jwksUri, config.jwksCacheLifetime(), matcher::matches);
        } catch (OutboundException e) {
            // An unreachable, slow or broken directory is the statement's problem, never a 5xx (issue 20 §3).
            throw invalid("software_statement: the keys of directory " + issuer() + " could not be fetched: " + e.getMessage());
        }
    }

    /** software_roles → the scopes they allow (roleScopes); null when the directory caps nothing. */
    Set<String> scopesAllowedFor(Object roles) {
        if (config.roleScopes().isEmpty()) {
            return null;
        }
        Collection<?> held = roles instanceof Collection<?> list ? list : roles == null ? List.of() : List.of(roles);
        return held.stream().map(String::valueOf).filter(config.roleScopes()::containsKey)
                .flatMap(r -> config.roleScopes().get(r).stream()).collect(Collectors.toSet());
    }

    static OAuthException invalid(String description) {
        return OAuthException.of(OAuthError.INVALID_SOFTWARE_STATEMENT, description);
    }

    private static OAuthException unapproved(String description) {
        return OAuthException.of(OAuthError.UNAPPROVED_SOFTWARE_STATEMENT, description);
    }
}
