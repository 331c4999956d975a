package io.registrar.statement;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.registrar.config.ConfigException;
import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.Secrets;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.MetadataJson;
import io.registrar.metadata.Param;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.outbound.JwksCache;
import io.registrar.outbound.OutboundException;
import io.registrar.outbound.OutboundHttp;
import io.registrar.policy.Registrant;
import io.registrar.policy.RegistrationPolicy;
import io.registrar.store.AssertionReplayStore;
import io.registrar.store.RegistrationOrigin;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Software statements (RFC 7591 §2.3, §3.1.1) and signed registration requests (application/jwt, UK
 * Open Banking DCR 3.x) as registration and management see them: whether the caller's way of
 * authorising allows, requires or refuses each, their verification against the trusted directories,
 * and the statement's claims taking precedence over the body. The directory's constraints on the
 * resulting metadata (redirect URIs, jwks_uri, scopes by role) are a policy step: {@link #policy()}.
 */
public final class SoftwareStatements {

    /** The JWT's own claims (RFC 7519 §4.1): never client metadata. */
    private static final Set<String> JWT_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");
    private static final int MAX_JTI_LENGTH = 256;
    private static final String NOT_ACCEPTED = "Software statements are not accepted by this server";

    private final RegistrarConfig.SoftwareStatements config;
    private final Map<String, TrustedDirectory> directories;
    private final JwksCache softwareKeys;
    private final Duration softwareKeysLifetime;
    private final AssertionReplayStore replays;
    private final Secrets secrets;
    private final String issuer;
    private final Clock clock;

    private SoftwareStatements(RegistrarConfig.SoftwareStatements config, Map<String, TrustedDirectory> directories, JwksCache softwareKeys,
                               Duration softwareKeysLifetime, AssertionReplayStore replays, Secrets secrets, String issuer, Clock clock) {
        this.config = config;
        this.directories = Map.copyOf(directories);
        this.softwareKeys = softwareKeys;
        this.softwareKeysLifetime = softwareKeysLifetime;
        this.replays = replays;
        this.secrets = secrets;
        this.issuer = issuer;
        this.clock = clock;
    }

    /**
     * The configured directories. A directory with a trust store of its own fetches through an outbound
     * client that trusts only that store's CAs; the others share {@code outbound}.
     */
    public static SoftwareStatements of(RegistrarConfig config, OutboundHttp outbound, AssertionReplayStore replays, Secrets secrets,
                                        String issuer, Clock clock) {
        RegistrarConfig.Outbound o = config.outbound();
        JwksCache shared = new JwksCache(outbound, o.jwksRefetchFloor(), clock);
        Map<String, TrustedDirectory> byIssuer = new LinkedHashMap<>();
        List<RegistrarConfig.Directory> configured = config.registration().softwareStatements().directories();
        for (int i = 0; i < configured.size(); i++) {
            RegistrarConfig.Directory d = configured.get(i);
            JwksCache cache = shared;
            if (d.trustStore() != null && !d.trustStore().isBlank()) {
                String key = "registration.softwareStatements.directories[" + i + "].trustStore";
                try {
                    cache = new JwksCache(outbound.trusting(d.trustStore()), o.jwksRefetchFloor(), clock);
                } catch (ConfigException e) {
                    throw new ConfigException("configuration key '" + key + "': cannot read CA certificates from " + d.trustStore(), e);
                }
            }
            byIssuer.put(d.issuer(), new TrustedDirectory(d, cache, clock));
        }
        return new SoftwareStatements(config.registration().softwareStatements(), byIssuer, shared, o.jwksCacheLifetime(), replays,
                secrets, issuer, clock);
    }

    /** The policy step that holds the metadata to the statement's directory claims. */
    public RegistrationPolicy policy() {
        return new StatementPolicy(directories);
    }

    /**
     * A registration with a JSON body: the statement it carries, verified, when the way allows one;
     * refused when the way requires a signed request or a statement it lacks, or refuses the one sent.
     */
    public Optional<VerifiedStatement> forRegistration(Registrant.Kind way, Map<String, Object> body) {
        return fromJsonBody(way, body, false, RegistrationOrigin.NONE, false);
    }

    /**
     * An update (RFC 7592 §2.2) with a JSON body: a statement sent is verified as on registration and
     * must be for the same software; one is required when the way or the directory of the client's
     * last statement says so, unless an operator ({@code byOperator}, a dcrm token) makes the update:
     * the rule is for the third party, not for whoever administers the server.
     */
    public Optional<VerifiedStatement> forUpdate(Registrant.Kind way, Map<String, Object> body, RegistrationOrigin origin,
                                                 boolean byOperator) {
        return fromJsonBody(way, body, true, origin, byOperator);
    }

    /** A JSON registration or update: the statement it carries, as the way in and the directories allow. */
    private Optional<VerifiedStatement> fromJsonBody(Registrant.Kind way, Map<String, Object> body, boolean update,
                                                     RegistrationOrigin origin, boolean byOperator) {
        boolean sent = body.containsKey(Param.SOFTWARE_STATEMENT);
        if (directories.isEmpty()) {
            if (sent) {
                // RFC 7591 §3.1.1: a statement the server cannot verify must not be silently trusted or dropped.
                throw invalid(NOT_ACCEPTED);
            }
            return Optional.empty();
        }
        RegistrarConfig.StatementWay settings = config.way(way.dbValue());
        if ("required".equals(settings.signedRequests())) {
            throw OAuthException.invalidRequest((update ? "Updates of clients registered this way (" : "Registrations authorised this way (")
                    + way.dbValue() + ") must be signed requests (Content-Type: application/jwt)");
        }
        if (update && !sent && !byOperator && requiredOnUpdate(settings, origin)) {
            throw invalid("A software_statement is required on every update of this client (RFC 7592 §2.2)");
        }
        return statement(way, settings, sent ? body.get(Param.SOFTWARE_STATEMENT) : null, sent, update, origin);
    }

    /**
     * A signed registration request (issue 20 §4), verified; its statement verified as any other.
     *
     * @param spendJti false in explain mode: every check is made but the jti is not recorded, so the
     *                 request can still be sent for real
     */
    public SignedRequest signedRegistration(Registrant.Kind way, String jws, boolean spendJti) {
        return signed(way, jws, false, RegistrationOrigin.NONE, spendJti);
    }

    /** A signed update: as {@link #signedRegistration}, and the statement must be for the client's software. */
    public SignedRequest signedUpdate(Registrant.Kind way, String jws, RegistrationOrigin origin, boolean spendJti) {
        return signed(way, jws, true, origin, spendJti);
    }

    /**
     * RFC 7591 §2.3: "If the same metadata field is present in both the software statement and the
     * plain JSON request, the values in the software statement MUST take precedence." The body with
     * every claim that is client metadata put over it, and without software_statement itself (it is
     * kept apart, with the client's origin, and echoed from there).
     */
    public static Map<String, Object> claimsOver(Map<String, Object> body, Map<String, Object> claims) {
        Map<String, Object> metadataClaims = new LinkedHashMap<>(claims);
        metadataClaims.keySet().removeAll(JWT_CLAIMS);
        metadataClaims.remove(Param.SOFTWARE_STATEMENT);
        ClientMetadata parsed;
        try {
            parsed = MetadataJson.parse(metadataClaims);
        } catch (OAuthException e) {
            throw invalid("software_statement: " + e.description());
        }
        Map<String, Object> out = new LinkedHashMap<>(body);
        out.remove(Param.SOFTWARE_STATEMENT);
        for (String member : parsed.document().keySet()) {
            if (metadataClaims.containsKey(member)) {
                out.put(member, metadataClaims.get(member));
            }
        }
        return out;
    }

    private Optional<VerifiedStatement> statement(Registrant.Kind way, RegistrarConfig.StatementWay settings, Object value, boolean sent,
                                                  boolean update, RegistrationOrigin origin) {
        if (sent && "refused".equals(settings.statements())) {
            throw invalid("Software statements are not accepted for registrations authorised this way (" + way.dbValue() + ")");
        }
        if (!sent) {
            if (!update && "required".equals(settings.statements())) {
                throw invalid("A software_statement is required for registrations authorised this way (" + way.dbValue() + ")");
            }
            return Optional.empty();
        }
        VerifiedStatement verified = verify(value);
        if (update) {
            sameSoftware(verified, origin);
        }
        return Optional.of(verified);
    }

    private boolean requiredOnUpdate(RegistrarConfig.StatementWay settings, RegistrationOrigin origin) {
        if (settings.requiredOnUpdate()) {
            return true;
        }
        TrustedDirectory registeredWith = origin.softwareStatement() == null ? null
                : directories.get(String.valueOf(origin.statementClaims().get("iss")));
        return registeredWith != null && registeredWith.config().requiredOnUpdate();
    }

    /** A client's statements all come from one directory, about one software_id (Brazil Open Finance DCR). */
    private static void sameSoftware(VerifiedStatement verified, RegistrationOrigin origin) {
        if (origin.softwareStatement() == null) {
            return;
        }
        for (String claim : List.of("iss", Param.SOFTWARE_ID)) {
            Object before = origin.statementClaims().get(claim);
            if (before != null && !before.equals(verified.claims().get(claim))) {
                throw invalid("software_statement: " + claim + " must be '" + before + "', as in the statement this client registered with");
            }
        }
    }

    /** RFC 7591 §2.3: a JWS from a trusted directory, signed by one of its keys, within its bounds. */
    VerifiedStatement verify(Object value) {
        if (!(value instanceof String compact) || compact.isBlank()) {
            throw invalid("software_statement must be a string holding a JWS in compact serialization, not a JSON "
                    + (value instanceof Map<?, ?> ? "object" : "value"));
        }
        SignedJWT jwt = Jws.parse(compact, "software_statement", SoftwareStatements::invalid);
        JWTClaimsSet claims = claims(jwt, SoftwareStatements::invalid, "software_statement");
        String iss = claims.getIssuer();
        if (iss == null) {
            throw invalid("software_statement has no iss: it must name the directory that issued it");
        }
        TrustedDirectory directory = directories.get(iss);
        if (directory == null) {
            throw invalid("software_statement: iss '" + iss + "' is not a trusted directory");
        }
        return new VerifiedStatement(compact, directory.verify(jwt, claims));
    }

    private SignedRequest signed(Registrant.Kind way, String jws, boolean update, RegistrationOrigin origin, boolean spendJti) {
        RegistrarConfig.StatementWay settings = config.way(way.dbValue());
        if (directories.isEmpty()) {
            throw OAuthException.invalidRequest("Signed registration requests are not accepted by this server; Content-Type must be "
                    + "application/json");
        }
        if ("refused".equals(settings.signedRequests())) {
            throw OAuthException.invalidRequest("Signed registration requests are not accepted for registrations authorised this way ("
                    + way.dbValue() + "); Content-Type must be application/json");
        }
        SignedJWT jwt = Jws.parse(jws, "The signed registration request", OAuthException::invalidClientMetadata);
        JWTClaimsSet claims = claims(jwt, OAuthException::invalidClientMetadata, "The signed registration request");
        // The keys that signed the request are found only through the statement inside it.
        Object statementValue = claims.getClaim(Param.SOFTWARE_STATEMENT);
        if (statementValue == null) {
            throw invalid("A signed registration request must carry a software_statement: the keys that signed it are found through it");
        }
        VerifiedStatement statement = statement(way, settings, statementValue, true, update, origin).orElseThrow();
        TrustedDirectory directory = directories.get(statement.issuer());
        verifySignature(jwt, statement, directory);
        Duration skew = directory.config().clockSkew();
        checkClaims(claims, statement, skew);
        // RFC 7523 §3 (7) applied to the request: a jti once, in the store every node shares, kept as
        // long as the request could be valid.
        String jtiKey = secrets.hash("signed-registration\u0000" + claims.getIssuer() + "\u0000" + claims.getJWTID());
        if (spendJti && !replays.firstUse(jtiKey, claims.getExpirationTime().toInstant().plus(skew))) {
            throw OAuthException.invalidClientMetadata("The signed registration request: this jti has been used before");
        }
        Map<String, Object> all = claims.toJSONObject();
        Map<String, Object> body = new LinkedHashMap<>(all);
        body.keySet().removeAll(JWT_CLAIMS);
        return new SignedRequest(body, all, statement, jwt.getHeader().getAlgorithm().getName());
    }

    /** The software's own keys, from the statement's software_jwks_endpoint (UK) or software_jwks_uri (Brazil). */
    private void verifySignature(SignedJWT jwt, VerifiedStatement statement, TrustedDirectory directory) {
        String alg = jwt.getHeader().getAlgorithm().getName();
        if (!directory.config().algorithms().contains(alg)) {
            throw OAuthException.invalidClientMetadata("The signed registration request: alg " + alg + " is not accepted; accepted: "
                    + directory.config().algorithms());
        }
        Object uri = statement.claims().getOrDefault(StatementPolicy.SOFTWARE_JWKS_ENDPOINT, statement.claims().get(StatementPolicy.SOFTWARE_JWKS_URI));
        if (!(uri instanceof String keysAt)) {
            throw invalid("software_statement has no software_jwks_endpoint or software_jwks_uri: the signed request cannot be verified");
        }
        List<com.nimbusds.jose.jwk.JWK> keys;
        try {
            keys = softwareKeys.keysWhere(URI.create(keysAt), softwareKeysLifetime, Jws.matcher(jwt)::matches);
        } catch (OutboundException e) {
            throw OAuthException.invalidClientMetadata("The signed registration request: the software's keys could not be fetched: "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw invalid("software_statement: the software's key set URL is not a URL");
        }
        if (keys.isEmpty() || !Jws.verifiedByAny(jwt, keys)) {
            throw OAuthException.invalidClientMetadata("The signed registration request: the signature does not verify with the "
                    + "software's keys (" + keysAt + ")");
        }
    }

    /** iss is the software, aud this server, exp and iat present and within bounds, a jti (issue 20 §4). */
    private void checkClaims(JWTClaimsSet c, VerifiedStatement statement, Duration skew) {
        Object softwareId = statement.claims().get(Param.SOFTWARE_ID);
        if (softwareId == null) {
            throw invalid("software_statement has no software_id, which a signed request's iss must equal");
        }
        if (!softwareId.equals(c.getIssuer())) {
            throw OAuthException.invalidClientMetadata("The signed registration request: iss must be the statement's software_id");
        }
        if (c.getAudience() == null || !c.getAudience().contains(issuer)) {
            throw OAuthException.invalidClientMetadata("The signed registration request: aud must be " + issuer);
        }
        Instant now = clock.instant();
        Date exp = c.getExpirationTime();
        if (exp == null) {
            throw OAuthException.invalidClientMetadata("The signed registration request: exp is required");
        }
        if (!now.isBefore(exp.toInstant().plus(skew))) {
            throw OAuthException.invalidClientMetadata("The signed registration request has expired (exp)");
        }
        if (exp.toInstant().isAfter(now.plus(config.signedRequestMaxLifetime()).plus(skew))) {
            throw OAuthException.invalidClientMetadata("The signed registration request: exp is too far ahead; at most "
                    + config.signedRequestMaxLifetime().toSeconds() + " s from now");
        }
        if (c.getIssueTime() == null) {
            throw OAuthException.invalidClientMetadata("The signed registration request: iat is required");
        }
        if (c.getIssueTime().toInstant().isAfter(now.plus(skew))) {
            throw OAuthException.invalidClientMetadata("The signed registration request: iat is in the future");
        }
        if (c.getNotBeforeTime() != null && c.getNotBeforeTime().toInstant().isAfter(now.plus(skew))) {
            throw OAuthException.invalidClientMetadata("The signed registration request is not valid yet (nbf)");
        }
        String jti = c.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw OAuthException.invalidClientMetadata("The signed registration request: jti is required (at most "
                    + MAX_JTI_LENGTH + " characters)");
        }
    }

    private static JWTClaimsSet claims(SignedJWT jwt, java.util.function.Function<String, OAuthException> fail, String what) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw fail.apply(what + ": the payload is not a JSON object of claims");
        }
    }

    static OAuthException invalid(String description) {
        return OAuthException.of(OAuthError.INVALID_SOFTWARE_STATEMENT, description);
    }
}
