package io.registrar.management;

import io.registrar.crypto.DistinguishedNames;
import io.registrar.crypto.Secrets;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.MetadataJson;
import io.registrar.metadata.MetadataValidator;
import io.registrar.metadata.Param;
import io.registrar.oauth.OAuthException;
import io.registrar.profile.ProfilePolicy;
import io.registrar.profile.Profiles;
import io.registrar.policy.Operation;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.Policies;
import io.registrar.policy.RegistrationRequest;
import io.registrar.policy.Trace;
import io.registrar.registration.ClientInformation;
import io.registrar.registration.CredentialIssuer;
import io.registrar.registration.IssuedCredentials;
import io.registrar.policy.Registrant;
import io.registrar.store.ClientStore;
import io.registrar.store.DynamicClient;
import io.registrar.store.RegistrationOrigin;
import io.registrar.statement.SignedRequest;
import io.registrar.statement.SoftwareStatements;
import io.registrar.statement.VerifiedStatement;
import io.registrar.store.RotationLeeway;
import io.registrar.token.AccessTokens;
import io.registrar.token.PresentedToken;
import io.registrar.token.TokenService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * RFC 7592 client configuration: read, update, delete with the registration access token, or with
 * an admin token (scope dcrm) for any dynamic client. With rotation on (the default), every GET and
 * PUT made with a registration access token issues a new token and a new secret; the old ones stop
 * working in the same conditional UPDATE, so two concurrent requests with one token cannot both win.
 *
 * <p>With a rotation leeway ({@code management.rotationLeeway}, issue 21 §2), a rotation whose
 * response was lost does not lock its client out: within the leeway, and until the new token is first
 * used, the token it replaced gets the same answer again — the same new token and secret, kept
 * encrypted for the window — and so does the loser of two concurrent requests with one token. Still
 * exactly one token is current; the first request made with it rotates again and writes its own
 * leeway over the last one, so the previous token is dead from then on.
 */
public final class ManagementService {

    /** RFC 7592 §2: the same answer for an unknown client and a bad token, so nothing leaks. */
    private static final String NOT_AUTHORIZED = "The registration access token is invalid, expired or not for this client";
    /** RFC 7592 §2.2: values the client may not set in an update. */
    private static final List<String> SERVER_MANAGED = List.of(Param.REGISTRATION_ACCESS_TOKEN,
            Param.REGISTRATION_CLIENT_URI, Param.CLIENT_SECRET_EXPIRES_AT, Param.CLIENT_ID_ISSUED_AT);

    private enum Operation { READ, UPDATE, DELETE }

    /**
     * How the caller was authorised: its own registration access token, an admin token, or
     * ({@code previous}) the registration access token the last rotation replaced, within its leeway.
     */
    private record Access(DynamicClient client, String presentedToken, boolean admin, boolean previous) {
    }

    private final ClientStore clients;
    private final AccessTokens accessTokens;
    /** management.certificateBinding: required (issue 20 §2). */
    private final boolean certificateBinding;
    private final Secrets secrets;
    private final CredentialIssuer credentials;
    private final Policies policies;
    private final MetadataValidator validator;
    private final Clock clock;
    private final boolean rotate;
    /** Zero: no leeway, a replaced token is dead at once. */
    private final Duration rotationLeeway;
    private final Function<DynamicClient, String> clientUri;
    private final SoftwareStatements statements;
    private final Profiles profiles;

    public ManagementService(ClientStore clients, AccessTokens accessTokens, Secrets secrets, CredentialIssuer credentials,
                             Policies policies, MetadataValidator validator, Clock clock, boolean rotate,
                             Duration rotationLeeway, boolean certificateBinding, Function<DynamicClient, String> clientUri,
                             SoftwareStatements statements, Profiles profiles) {
        this.clients = clients;
        this.accessTokens = accessTokens;
        this.secrets = secrets;
        this.credentials = credentials;
        this.policies = policies;
        this.validator = validator;
        this.clock = clock;
        this.rotate = rotate;
        this.rotationLeeway = rotationLeeway;
        this.certificateBinding = certificateBinding;
        this.clientUri = clientUri;
        this.statements = statements;
        this.profiles = profiles;
    }

    /** A security profile may forbid rotating the registration access token (Open Finance Brasil DCM). */
    private boolean profileRotates(DynamicClient client) {
        return client.origin().profile() == null || profiles.find(client.origin().profile())
                .map(p -> !Boolean.FALSE.equals(p.management().rotateRegistrationAccessToken())).orElse(true);
    }

    /** RFC 7592 §2.1. */
    public Map<String, Object> read(String clientId, PresentedToken bearerToken) {
        Access access = authorize(clientId, bearerToken, Operation.READ);
        if (access.previous()) {
            return answerAgain(access.client(), clock.instant());
        }
        return store(access, access.client().metadata(), false, access.client().origin());
    }

    /**
     * RFC 7592 §2.2: the body replaces the metadata as a whole; omitted fields are removed or defaulted.
     * A software statement sent is verified as on registration and its claims win; without one, the
     * claims of the statement the client last brought still do (RFC 7591 §2.3).
     */
    public Map<String, Object> update(String clientId, PresentedToken bearerToken, Map<String, Object> body) {
        Access access = authorize(clientId, bearerToken, Operation.UPDATE);
        Optional<VerifiedStatement> statement = statements.forUpdate(wayOf(access.client()), body, access.client().origin(), access.admin());
        return update(access, clientId, body, statement, Map.of(), List.of());
    }

    /** An update as a signed request (application/jwt, issue 20 §4): its claims are the body. */
    public Map<String, Object> updateSigned(String clientId, PresentedToken bearerToken, String jws) {
        Access access = authorize(clientId, bearerToken, Operation.UPDATE);
        SignedRequest signed = statements.signedUpdate(wayOf(access.client()), jws, access.client().origin(), true);
        return update(access, clientId, signed.body(), Optional.of(signed.statement()), signed.claims(), List.of(signed.algorithm()));
    }

    /**
     * Explain mode (issue 20 §5): the whole update of {@code clientId} with {@code request} (a JSON
     * object, or a signed request's compact JWS) as its own registration access token would make it,
     * recorded step by step; nothing is stored, no credential rotated, no signed request's jti spent.
     * A JSON request without client_id is taken to be for {@code clientId} (RFC 7592 §2.2 requires it).
     * The caller has checked the admin token (dcrm).
     */
    public Map<String, Object> explainUpdate(String clientId, Object request) {
        DynamicClient current = clients.find(clientId).orElseThrow(() -> OAuthException.invalidRequest(
                "client_id names no dynamically registered client"));
        Trace trace = Trace.recording();
        try {
            Map<String, Object> who = new LinkedHashMap<>();
            who.put("client_id", clientId);
            who.put("kind", current.registrantKind());
            if (current.origin().profile() != null) {
                who.put("profile", current.origin().profile());
            }
            trace.note("client", "found", who);
            Prepared prepared;
            if (request instanceof String jws) {
                SignedRequest signed = trace.run("signed request", () -> statements.signedUpdate(wayOf(current), jws, current.origin(), false));
                trace.note("signed request", "verified", Map.of("iss", String.valueOf(signed.claims().get("iss")),
                        "jti", "not spent (explain)"));
                prepared = prepare(current, false, false, clientId, signed.body(), Optional.of(signed.statement()), signed.claims(),
                        List.of(signed.algorithm()), trace);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) request);
                body.putIfAbsent(Param.CLIENT_ID, clientId);
                Optional<VerifiedStatement> statement = trace.run("software_statement",
                        () -> statements.forUpdate(wayOf(current), body, current.origin(), false));
                prepared = prepare(current, false, false, clientId, body, statement, Map.of(),
                        List.of(), trace);
            }
            boolean rotating = rotate && profileRotates(current);
            List<String> wouldIssue = new java.util.ArrayList<>();
            ClientMetadata effective = prepared.metadata();
            if (effective.usesSecret() && (rotating || prepared.needsNewSecret())) {
                wouldIssue.add(Param.CLIENT_SECRET);
            }
            if (rotating) {
                wouldIssue.add(Param.REGISTRATION_ACCESS_TOKEN);
            }
            trace.note("credentials", "not_issued", Map.of("would_issue", wouldIssue,
                    "rotation", rotating ? "on: an update with the client's registration access token rotates it"
                            : "off (management.rotate, or the client's security profile)"));
            trace.note("store", "skipped", Map.of("reason", "explain stores nothing"));
            Map<String, Object> stored = new LinkedHashMap<>(effective.document());
            if (prepared.origin().softwareStatement() != null) {
                stored.put(Param.SOFTWARE_STATEMENT, prepared.origin().softwareStatement());
            }
            return trace.explanation(stored);
        } catch (OAuthException e) {
            trace.refused("request", e);
            return trace.explanation(null);
        }
    }

    private static Registrant.Kind wayOf(DynamicClient client) {
        return Registrant.Kind.fromDb(client.registrantKind());
    }

    /** What an update decides before it rotates and stores: the metadata, the client's origin, whether a secret must be issued. */
    private record Prepared(ClientMetadata metadata, RegistrationOrigin origin, boolean needsNewSecret) {
    }

    private Map<String, Object> update(Access access, String clientId, Map<String, Object> body, Optional<VerifiedStatement> statement,
                                       Map<String, Object> signedClaims, List<String> signedWith) {
        DynamicClient current = access.client();
        Prepared prepared = prepare(current, access.previous(), access.admin(), clientId, body, statement, signedClaims, signedWith,
                Trace.OFF);
        ClientMetadata effective = prepared.metadata();
        if (access.previous()) {
            // The update that rotated, made again after its response was lost: the same answer. Any
            // other change needs the current token.
            if (!effective.equals(current.metadata())) {
                throw OAuthException.invalidToken(NOT_AUTHORIZED);
            }
            return answerAgain(current, clock.instant());
        }
        return store(access, effective, prepared.needsNewSecret(), prepared.origin());
    }

    /**
     * The update up to the store write, the same for an update and its explanation: the request's
     * checks, statement claims over the body, the template, the policy chain of the way the client was
     * registered, validation.
     *
     * @param previous   made with the registration access token the last rotation replaced (within its leeway)
     * @param byOperator made with an operator's dcrm token
     * @param signedWith the JWS algorithm of a signed update (none for JSON)
     */
    private Prepared prepare(DynamicClient current, boolean previous, boolean byOperator, String clientId, Map<String, Object> body,
                             Optional<VerifiedStatement> statement, Map<String, Object> signedClaims, List<String> signedWith,
                             Trace trace) {
        if (current.origin().profile() != null) {
            profiles.find(current.origin().profile()).ifPresent(p -> trace.run("profile " + p.name(), () -> {
                ProfilePolicy.requireAlgorithms(p, signedWith);
                // A profile's statement on every update binds the third party, not the operator (dcrm).
                if (!byOperator) {
                    ProfilePolicy.requireStatementOnUpdate(p, statement.map(VerifiedStatement::claims).orElse(Map.of()), clock);
                }
                return null;
            }));
        }
        trace.run("request", () -> {
            checkRequest(current, previous, clientId, body);
            return null;
        });
        Map<String, Object> metadataOnly = new LinkedHashMap<>(body);
        metadataOnly.remove(Param.CLIENT_ID);
        metadataOnly.remove(Param.CLIENT_SECRET);
        // Not in RFC 7592's list of what an update must not carry, and SDKs echo it back from the last
        // response with the rest of the metadata (Nimbus keeps it as a custom field): ignored, not refused.
        metadataOnly.remove(Param.REGISTRATION_ACCESS_TOKEN_EXPIRES_IN);
        metadataOnly.remove(Param.SOFTWARE_STATEMENT);
        Map<String, Object> statementClaims = statement.map(VerifiedStatement::claims).orElse(current.origin().statementClaims());
        if (!statementClaims.isEmpty()) {
            Map<String, Object> before = metadataOnly;
            metadataOnly = trace.run("software_statement", () -> SoftwareStatements.claimsOver(before, statementClaims));
            if (trace.on()) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("iss", String.valueOf(statementClaims.get("iss")));
                details.put("statement", statement.isPresent() ? "sent with this update" : "the one the client last brought");
                Map<String, Object> diff = Trace.diff(before, metadataOnly);
                if (!diff.isEmpty()) {
                    details.put("changed", diff);
                }
                trace.note("software_statement", statement.isPresent() ? "verified" : "kept", details);
            }
        } else {
            trace.note("software_statement", "none", Map.of());
        }
        Map<String, Object> read = byOperator ? metadataOnly : keepCertificateSubject(current, metadataOnly);
        MetadataJson.Parsed parsed = trace.run("request", () -> MetadataJson.parseWithExtensions(read));
        RegistrationRequest request = new RegistrationRequest(parsed.metadata(), statementClaims, signedClaims, parsed.extensions());
        RegistrationOrigin origin = statement.map(s -> current.origin().withStatement(s.statement(), s.claims())).orElse(current.origin());
        // The same sequence as the registration: the template wins over whatever the update says, then
        // the policy chain of the way the client was registered, then validation.
        ClientMetadata templated = current.template() == null ? request.metadata()
                : io.registrar.metadata.TemplateOverlay.apply(request.metadata(), current.template().metadata());
        if (current.template() == null) {
            trace.note("template", "none", Map.of());
        } else if (trace.on()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("template", current.template().templateId());
            Map<String, Object> diff = Trace.diff(request.metadata().document(), templated.document());
            if (!diff.isEmpty()) {
                details.put("changed", diff);
            }
            trace.note("template", "applied", details);
        }
        Registrant registrant = new Registrant(Registrant.Kind.fromDb(current.registrantKind()), current.registeredBy(),
                current.authenticatedUser(), current.origin().certificate());
        ClientMetadata effective = policies.apply(new PolicyContext(io.registrar.policy.Operation.UPDATE, registrant, request,
                current.origin().profile()), templated, trace);
        trace.check("validation", () -> validator.validate(effective));
        // A client that moves from "none" to a secret-based method needs a secret even without rotation,
        // and so does one that moves to client_secret_jwt: its old secret was only hashed.
        boolean needsNewSecret = (effective.usesSecret() && current.secretHash() == null)
                || (effective.secretMustBeReadable() && current.secretEncrypted() == null);
        return new Prepared(effective, origin, needsNewSecret);
    }

    /**
     * Issue 20 §1 on update: a tls_client_auth client registered by its certificate alone keeps naming
     * that certificate's subject (RFC 8705 §2.1.2), so an update cannot move it to another certificate.
     * Without a subject parameter it gets the certificate's DN, as on registration; a DN must match it
     * (RFC 4514); a SAN parameter may only be kept as registered. An operator's update is not held to it.
     */
    private static Map<String, Object> keepCertificateSubject(DynamicClient current, Map<String, Object> metadata) {
        var certificate = current.origin().certificate();
        if (certificate == null || Registrant.Kind.fromDb(current.registrantKind()) != Registrant.Kind.MUTUAL_TLS
                || !"tls_client_auth".equals(metadata.get(Param.TOKEN_ENDPOINT_AUTH_METHOD))) {
            return metadata;
        }
        if (Param.TLS_SUBJECT_PARAMS.stream().noneMatch(metadata::containsKey)) {
            Map<String, Object> withSubject = new LinkedHashMap<>(metadata);
            withSubject.put(Param.TLS_CLIENT_AUTH_SUBJECT_DN, certificate.subjectDn());
            return withSubject;
        }
        if (metadata.get(Param.TLS_CLIENT_AUTH_SUBJECT_DN) instanceof String dn && DistinguishedNames.isValid(dn)
                && DistinguishedNames.matches(dn, new javax.security.auth.x500.X500Principal(certificate.subjectDn()))) {
            return metadata;
        }
        boolean sameSan = Param.TLS_SUBJECT_PARAMS.stream().filter(p -> !p.equals(Param.TLS_CLIENT_AUTH_SUBJECT_DN))
                .anyMatch(p -> metadata.get(p) != null && metadata.get(p).equals(current.metadata().document().get(p)));
        if (sameSan) {
            return metadata;
        }
        throw OAuthException.invalidClientMetadata("This client was registered with the certificate of " + certificate.subjectDn()
                + "; its tls_client_auth subject parameter must name that certificate");
    }

    /** RFC 7592 §2.2: the body names the client, carries nothing the server sets, and a secret only if it is the current one. */
    private void checkRequest(DynamicClient current, boolean previous, String clientId, Map<String, Object> body) {
        if (!clientId.equals(body.get(Param.CLIENT_ID))) {
            throw OAuthException.invalidRequest("client_id in the body must match the client being updated");
        }
        for (String p : SERVER_MANAGED) {
            if (body.containsKey(p)) {
                throw OAuthException.invalidRequest(p + " is set by the server and must not be sent in an update");
            }
        }
        // Made again with the previous token, an update carries the secret from before the rotation,
        // whose hash is gone; the previous token itself is what authorises it within the leeway.
        if (body.containsKey(Param.CLIENT_SECRET) && !previous) {
            Object sent = body.get(Param.CLIENT_SECRET);
            if (!(sent instanceof String s) || !secrets.matches(s, current.secretHash())) {
                throw OAuthException.invalidRequest("client_secret must match the currently issued secret");
            }
        }
    }

    /** RFC 7592 §2.3: 204; the client, its secret and its tokens stop working. */
    public void delete(String clientId, PresentedToken bearerToken) {
        Access access = authorize(clientId, bearerToken, Operation.DELETE);
        if (access.previous()) {
            // Within the leeway the previous token only gets its rotation's answer again; a delete
            // was never that answer.
            throw OAuthException.invalidToken(NOT_AUTHORIZED);
        }
        if (!clients.delete(clientId)) {
            throw OAuthException.invalidToken(NOT_AUTHORIZED);
        }
    }

    /** Writes (possibly rotated) credentials and metadata with one conditional UPDATE, then answers. */
    private Map<String, Object> store(Access access, ClientMetadata metadata, boolean forceNewSecret, RegistrationOrigin origin) {
        DynamicClient current = access.client();
        Instant now = clock.instant();
        boolean rotating = rotate && !access.admin() && profileRotates(access.client());
        boolean wantsSecret = metadata.usesSecret();
        CredentialIssuer.SecretKind kind = wantsSecret && (rotating || forceNewSecret)
                ? CredentialIssuer.kindFor(metadata) : CredentialIssuer.SecretKind.NONE;
        IssuedCredentials issued = credentials.issue(kind, current.clientId(), now);

        boolean fresh = issued.clientSecretHash() != null;
        String secretHash = !wantsSecret ? null : fresh ? issued.clientSecretHash() : current.secretHash();
        String secretEncrypted = !metadata.secretMustBeReadable() ? null : fresh ? issued.clientSecretEncrypted() : current.secretEncrypted();
        Instant secretExpiresAt = !wantsSecret ? null : fresh ? issued.clientSecretExpiresAt() : current.secretExpiresAt();
        DynamicClient updated = rotating
                ? current.withCredentials(metadata, secretHash, secretEncrypted, secretExpiresAt, issued.registrationTokenHash(),
                        issued.registrationTokenExpiresAt(), issued.registrationTokenDeleteExpiresAt(), now)
                : current.withCredentials(metadata, secretHash, secretEncrypted, secretExpiresAt, current.registrationTokenHash(),
                        current.registrationTokenExpiresAt(), current.registrationTokenDeleteExpiresAt(), now);
        updated = updated.withOrigin(origin);
        boolean unchanged = updated.metadata().equals(current.metadata()) && origin.equals(current.origin()) && !rotating
                && issued.clientSecret() == null;
        String tokenToReturn = access.admin() ? null : rotating ? issued.registrationToken() : access.presentedToken();
        String secretToReturn = wantsSecret ? issued.clientSecret() : null;
        if (rotating && !rotationLeeway.isZero()) {
            updated = updated.withLeeway(new RotationLeeway(current.registrationTokenHash(), now.plus(rotationLeeway),
                    credentials.seal(new CredentialIssuer.HandedOut(tokenToReturn, secretToReturn), current.clientId())));
        } else if (access.admin() && Objects.equals(secretHash, current.secretHash())) {
            // An operator's edit leaves the client's credentials as they are, and so the answer its last
            // rotation may still owe it.
            updated = updated.withLeeway(current.leeway());
        }
        if (!unchanged) {
            String expected = access.admin() ? null : current.registrationTokenHash();
            if (!clients.update(updated, expected)) {
                // Another request with the same token rotated it first (or the client was deleted meanwhile).
                if (rotating && !rotationLeeway.isZero()) {
                    // A client that retries sends the same request twice: within the leeway, the loser
                    // gets the winner's answer, so both hold the one token that is current.
                    Optional<DynamicClient> winner = clients.find(current.clientId())
                            .filter(c -> replacedWithinLeeway(c, access.presentedToken(), clock.instant()))
                            .filter(c -> c.metadata().equals(metadata));
                    if (winner.isPresent()) {
                        return answerAgain(winner.get(), clock.instant());
                    }
                }
                throw OAuthException.invalidToken(NOT_AUTHORIZED);
            }
        } else {
            updated = current;
        }
        return ClientInformation.of(updated, secretToReturn, tokenToReturn, clientUri.apply(updated), now);
    }

    /**
     * The answer of the client's last rotation, again: the same new registration access token and
     * secret. {@code client} may be stale, so the kept answer is read afresh: if the new token was used
     * since, the previous one is dead and gets the 401 any other dead token gets.
     */
    private Map<String, Object> answerAgain(DynamicClient client, Instant now) {
        String kept = clients.keptAnswer(client.clientId(), client.leeway().previousHash(), now)
                .orElseThrow(() -> OAuthException.invalidToken(NOT_AUTHORIZED));
        CredentialIssuer.HandedOut again = credentials.open(kept, client.clientId());
        return ClientInformation.of(client, again.clientSecret(), again.registrationToken(), clientUri.apply(client), now);
    }

    /**
     * Whether {@code presented} is the registration access token the client's last rotation replaced,
     * and still answered: the leeway is on, has not ended, and the new token has not been used (its
     * first use writes a leeway of its own over this one).
     */
    private boolean replacedWithinLeeway(DynamicClient c, String presented, Instant now) {
        RotationLeeway leeway = c.leeway();
        return !rotationLeeway.isZero() && leeway != null && c.active() && leeway.openAt(now)
                && secrets.matches(presented, leeway.previousHash());
    }

    private Access authorize(String clientId, PresentedToken bearerToken, Operation operation) {
        if (bearerToken.absent()) {
            throw OAuthException.tokenRequired();
        }
        Instant now = clock.instant();
        Optional<DynamicClient> found = clients.find(clientId);
        if (found.isPresent()) {
            DynamicClient c = found.get();
            if (secrets.matches(bearerToken.value(), c.registrationTokenHash())) {
                Instant expiry = operation == Operation.DELETE ? c.registrationTokenDeleteExpiresAt() : c.registrationTokenExpiresAt();
                if (c.active() && now.isBefore(expiry)) {
                    requireBoundCertificate(c, bearerToken);
                    return new Access(c, bearerToken.value(), false, false);
                }
                throw OAuthException.invalidToken(NOT_AUTHORIZED);
            }
            if (replacedWithinLeeway(c, bearerToken.value(), now)) {
                requireBoundCertificate(c, bearerToken);
                return new Access(c, bearerToken.value(), false, true);
            }
        }
        // Not this client's registration access token: perhaps an admin token (scope dcrm), good for
        // any dynamic client. Static clients are not in this store, so they cannot be managed here.
        boolean admin = accessTokens.usable(bearerToken.value(), bearerToken.certificateThumbprint())
                .map(t -> t.scopes().contains(TokenService.DCRM_SCOPE)).orElse(false);
        if (admin) {
            if (found.isPresent()) {
                return new Access(found.get(), bearerToken.value(), true, false);
            }
        } else {
            revokeIfIssuedForAnother(clientId, bearerToken.value(), now);
        }
        throw OAuthException.invalidToken(NOT_AUTHORIZED);
    }

    /**
     * Issue 20 §2, in the manner of RFC 8705 §3: with management.certificateBinding required, the
     * registration access token of a client registered over mutual TLS works only over mTLS with the
     * certificate it was registered with (its thumbprint is kept as the token's {@code cnf}). Rotated
     * tokens inherit the binding, as it belongs to the client. An admin (dcrm) token is never bound.
     */
    private void requireBoundCertificate(DynamicClient c, PresentedToken bearerToken) {
        var bound = c.origin().certificate();
        if (!certificateBinding || bound == null) {
            return;
        }
        String presented = bearerToken.certificateThumbprint();
        if (presented == null || !java.security.MessageDigest.isEqual(presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                bound.thumbprint().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw OAuthException.invalidToken("This registration access token is bound to the client certificate the client was "
                    + "registered with; present it over mutual TLS with that certificate");
        }
    }

    /**
     * RFC 7592 §2.1: a registration access token presented for a client that does not exist — an
     * unknown client_id, or any client but the one it was issued for — gets 401 and SHOULD be revoked
     * at once, so that a leaked token cannot probe further. Revoked means its client gets a token hash
     * no token has, expired now; the client itself, its secret and its access tokens keep working, and
     * an operator (dcrm) can still manage it. The answer is the same 401 whatever happened here.
     */
    private void revokeIfIssuedForAnother(String clientId, String presented, Instant now) {
        String owner = CredentialIssuer.clientOf(presented);
        if (owner == null || owner.equals(clientId)) {
            return;
        }
        clients.find(owner).filter(c -> secrets.matches(presented, c.registrationTokenHash())).ifPresent(c -> {
            String nobodysToken = secrets.hash(secrets.newSecret());
            // Conditional on the presented token still being current: if it rotated meanwhile, it is dead already.
            clients.update(c.withCredentials(c.metadata(), c.secretHash(), c.secretEncrypted(), c.secretExpiresAt(),
                    nobodysToken, now, now, now), c.registrationTokenHash());
        });
    }
}
