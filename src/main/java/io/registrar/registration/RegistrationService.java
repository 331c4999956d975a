package io.registrar.registration;

import io.registrar.clientauth.CertificateSubjects;
import io.registrar.clientauth.ClientCertificate;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.MetadataJson;
import io.registrar.metadata.MetadataValidator;
import io.registrar.metadata.Param;
import io.registrar.metadata.TemplateOverlay;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.Operation;
import io.registrar.policy.Policies;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.Registrant;
import io.registrar.policy.RegistrationRequest;
import io.registrar.policy.Trace;
import io.registrar.statement.SignedRequest;
import io.registrar.statement.SoftwareStatements;
import io.registrar.statement.VerifiedStatement;
import io.registrar.store.ClientStatus;
import io.registrar.store.ClientStore;
import io.registrar.store.ClientTemplate;
import io.registrar.store.DynamicClient;
import io.registrar.store.RegistrationOrigin;
import io.registrar.store.SoftwareIdTaken;
import io.registrar.profile.Profile;
import io.registrar.profile.ProfilePolicy;
import io.registrar.profile.ProfileSelector;
import io.registrar.store.TemplateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * RFC 7591 client registration, as one explicit sequence: authorise the caller (the first configured
 * way that applies), read the request and verify its software statement or its signature (a statement's
 * claims win over the body), apply the template, run the policy chain of the caller's way in
 * (defaults, profile overrides, the statement's directory claims), validate what will be stored, issue
 * credentials, store in one call together with what the registration uses up, and answer with what
 * was stored.
 */
public final class RegistrationService {

    private final List<RegistrationAuthorizer> ways;
    private final Policies policies;
    private final MetadataValidator validator;
    private final CredentialIssuer credentials;
    private final ClientStore clients;
    private final Clock clock;
    private final Function<DynamicClient, String> clientUri;
    private final TemplateStore templates;
    private final boolean softwareIdSelectsTemplate;
    private final Function<String, List<String>> tokenTemplates;
    private final SoftwareStatements statements;
    private final ProfileSelector profiles;

    /**
     * @param ways                      the configured ways of authorising a registration, in the order they are asked
     * @param softwareIdSelectsTemplate whether software_id names a template (templatized DCR) or is free-form (RFC 7591 §2)
     * @param tokenTemplates            by the client_id a DCR token was issued to: the templates its registrations
     *                                  must be made from (empty: any, or none)
     */
    public RegistrationService(List<RegistrationAuthorizer> ways, Policies policies, MetadataValidator validator,
                               CredentialIssuer credentials, ClientStore clients, TemplateStore templates, Clock clock,
                               Function<DynamicClient, String> clientUri, boolean softwareIdSelectsTemplate,
                               Function<String, List<String>> tokenTemplates, SoftwareStatements statements,
                               ProfileSelector profiles) {
        this.ways = List.copyOf(ways);
        this.policies = policies;
        this.validator = validator;
        this.credentials = credentials;
        this.clients = clients;
        this.templates = templates;
        this.clock = clock;
        this.clientUri = clientUri;
        this.softwareIdSelectsTemplate = softwareIdSelectsTemplate;
        this.tokenTemplates = tokenTemplates;
        this.statements = statements;
        this.profiles = profiles;
    }

    /** @return the RFC 7591 §3.2.1 client information response body */
    public Map<String, Object> register(Caller caller, Map<String, Object> body) {
        RegistrationAuthorizer.Authorization authorization = authorize(caller);
        Optional<VerifiedStatement> statement = statements.forRegistration(authorization.registrant().kind(), body);
        return issueAndStore(authorization, prepare(caller.certificate(), authorization.registrant(), body, statement, Map.of(),
                List.of(), Trace.OFF));
    }

    /**
     * A signed registration request (Content-Type application/jwt, issue 20 §4): the compact JWS is
     * verified with the software's own keys, found through the statement it carries; its claims are
     * then the registration.
     */
    public Map<String, Object> registerSigned(Caller caller, String jws) {
        RegistrationAuthorizer.Authorization authorization = authorize(caller);
        SignedRequest signed = statements.signedRegistration(authorization.registrant().kind(), jws, true);
        return issueAndStore(authorization, prepare(caller.certificate(), authorization.registrant(), signed.body(),
                Optional.of(signed.statement()), signed.claims(), List.of(signed.algorithm()), Trace.OFF));
    }

    /**
     * Explain mode (issue 20 §5): the whole registration for {@code request} (a JSON object, or a
     * signed request's compact JWS) by the registrant an operator describes, recorded step by step;
     * nothing is stored, no credential issued, no DCR token used, no signed request's jti spent.
     *
     * @return the decision, the steps, and the metadata that would be stored or the error the request would get
     */
    public Map<String, Object> explain(DescribedRegistrant described, Object request) {
        Trace trace = Trace.recording();
        try {
            RegistrationAuthorizer.Authorization authorization = trace.run("authorization", () -> describe(described));
            Registrant registrant = authorization.registrant();
            trace.note("authorization", Trace.PASSED, registrantDetails(registrant));
            Prepared prepared;
            if (request instanceof String jws) {
                SignedRequest signed = trace.run("signed request", () -> statements.signedRegistration(registrant.kind(), jws, false));
                trace.note("signed request", "verified", Map.of("iss", String.valueOf(signed.claims().get("iss")),
                        "jti", "not spent (explain)"));
                prepared = prepare(described.certificate(), registrant, signed.body(), Optional.of(signed.statement()), signed.claims(),
                        List.of(signed.algorithm()), trace);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) request;
                Optional<VerifiedStatement> statement = trace.run("software_statement",
                        () -> statements.forRegistration(registrant.kind(), body));
                prepared = prepare(described.certificate(), registrant, body, statement, Map.of(),
                        List.of(), trace);
            }
            trace.note("credentials", "not_issued", Map.of("would_issue", wouldIssue(prepared.metadata(), true)));
            trace.note("store", "skipped", Map.of("reason", "explain stores nothing; a counted DCR token's remaining uses"
                    + (prepared.uniqueSoftwareId() == null ? "" : " and whether software_id is registered already")
                    + " are checked only when a registration is stored"));
            return trace.explanation(stored(prepared.metadata(), prepared.statement()));
        } catch (OAuthException e) {
            trace.refused("request", e);
            return trace.explanation(null);
        }
    }

    /** The client information explain shows: what would be stored, without credentials or ids. */
    private static Map<String, Object> stored(ClientMetadata metadata, Optional<VerifiedStatement> statement) {
        Map<String, Object> out = new LinkedHashMap<>(metadata.document());
        statement.ifPresent(s -> out.put(Param.SOFTWARE_STATEMENT, s.statement()));
        return out;
    }

    /** What a registration (or, with {@code registering} false, an update with rotation) would hand out. */
    public static List<String> wouldIssue(ClientMetadata metadata, boolean registering) {
        List<String> out = new java.util.ArrayList<>();
        if (registering) {
            out.add(Param.CLIENT_ID);
        }
        switch (CredentialIssuer.kindFor(metadata)) {
            case HASHED -> out.add(Param.CLIENT_SECRET);
            case READABLE -> out.add(Param.CLIENT_SECRET + " (kept encrypted: " + metadata.authMethod() + ")");
            case NONE -> { }
        }
        out.add(Param.REGISTRATION_ACCESS_TOKEN);
        return out;
    }

    private static Map<String, Object> registrantDetails(Registrant r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", r.kindName());
        if (r.subject() != null) {
            out.put(r.kind() == Registrant.Kind.MUTUAL_TLS ? "certificate_subject" : "client", r.subject());
        }
        if (r.authenticatedUser() != null) {
            out.put("user", r.authenticatedUser());
        }
        if (r.certificate() != null) {
            out.put("certificate_issuer", r.certificate().issuerDn());
        }
        return out;
    }

    /** Everything a registration decides before it issues and stores: the metadata, template, profile and statement. */
    private record Prepared(Registrant registrant, ClientMetadata metadata, ClientTemplate template, Optional<Profile> profile,
                            Optional<VerifiedStatement> statement, String uniqueSoftwareId) {
    }

    /**
     * The registration up to the store write, the same for a registration and its explanation:
     * statement claims over the body, the template, the policy chain of the way in, the certificate's
     * subject, validation.
     *
     * @param certificate the client certificate the registration came with, or null
     * @param signedWith  the JWS algorithm of a signed registration request (none for JSON)
     */
    private Prepared prepare(ClientCertificate certificate, Registrant registrant, Map<String, Object> sent,
                             Optional<VerifiedStatement> statement, Map<String, Object> signedClaims, List<String> signedWith,
                             Trace trace) {
        Map<String, Object> body = sent;
        if (statement.isPresent()) {
            // RFC 7591 §2.3: the statement's claims win over the same members of the body.
            Map<String, Object> before = body;
            body = trace.run("software_statement", () -> SoftwareStatements.claimsOver(before, statement.get().claims()));
            if (trace.on()) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("iss", String.valueOf(statement.get().claims().get("iss")));
                Object softwareId = statement.get().claims().get(Param.SOFTWARE_ID);
                if (softwareId != null) {
                    details.put(Param.SOFTWARE_ID, softwareId);
                }
                Map<String, Object> withoutStatement = new LinkedHashMap<>(before);
                withoutStatement.remove(Param.SOFTWARE_STATEMENT);
                Map<String, Object> diff = Trace.diff(withoutStatement, body);
                if (!diff.isEmpty()) {
                    details.put("changed", diff);
                }
                trace.note("software_statement", "verified", details);
            }
        } else {
            trace.note("software_statement", "none", Map.of());
        }
        // A DCR token's initial client may be held to templates; a certificate's subject names no client.
        List<String> allowedTemplates = registrant.kind() == Registrant.Kind.MUTUAL_TLS ? List.of() : tokenTemplates.apply(registrant.subject());
        if (allowedTemplates.size() == 1 && !body.containsKey(Param.SOFTWARE_ID)) {
            // The token's client registers from one template: it applies without being named (RFC 7591 §2:
            // the server may provide defaults), and the response shows it.
            body = new LinkedHashMap<>(body);
            body.put(Param.SOFTWARE_ID, allowedTemplates.getFirst());
        }
        Map<String, Object> beforeSubject = body;
        body = certificateSubjectDefault(body, registrant);
        if (body != beforeSubject) {
            trace.changed("certificate subject", beforeSubject, body);
        }
        Map<String, Object> read = body;
        MetadataJson.Parsed parsed = trace.run("request", () -> MetadataJson.parseWithExtensions(read));
        RegistrationRequest request = new RegistrationRequest(parsed.metadata(),
                statement.map(VerifiedStatement::claims).orElse(Map.of()), signedClaims, parsed.extensions());
        // A statement's software_id is the directory's name for the software, not one of this server's
        // templates: with a statement, software_id selects none.
        ClientTemplate template = statement.isPresent() ? null : trace.run("template", () -> template(request.metadata()));
        if (!allowedTemplates.isEmpty() && (template == null || !allowedTemplates.contains(template.templateId()))) {
            OAuthException refusal = OAuthException.invalidClientMetadata("Registrations with this access token must name one of the "
                    + "templates " + allowedTemplates + " in software_id");
            trace.refused("template", refusal);
            throw refusal;
        }
        // Templatized DCR: the template's settings win over whatever the request says; the policies
        // then see the client as the template makes it.
        ClientMetadata templated = template == null ? request.metadata() : TemplateOverlay.apply(request.metadata(), template.metadata());
        if (template == null) {
            trace.note("template", "none", Map.of());
        } else if (trace.on()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("template", template.templateId());
            Map<String, Object> diff = Trace.diff(request.metadata().document(), templated.document());
            if (!diff.isEmpty()) {
                details.put("changed", diff);
            }
            trace.note("template", "applied", details);
        }
        Optional<Profile> profile = profiles.select(registrant);
        profile.ifPresent(p -> trace.run("profile " + p.name(), () -> {
            ProfilePolicy.requireAlgorithms(p, signedWith);
            return null;
        }));
        ClientMetadata effective = policies.apply(new PolicyContext(Operation.REGISTER, registrant, request,
                profile.map(Profile::name).orElse(null)), templated, trace);
        String uniqueSoftwareId = trace.run("profile " + profile.map(Profile::name).orElse(""), () -> uniqueSoftwareId(profile, effective));
        trace.run("certificate subject", () -> {
            requireCertificateSubject(effective, registrant, certificate);
            return null;
        });
        trace.check("validation", () -> validator.validate(effective));
        return new Prepared(registrant, effective, template, profile, statement, uniqueSoftwareId);
    }

    /** Issues the client's credentials and stores it, with what its authorisation uses up, in one store call. */
    private Map<String, Object> issueAndStore(RegistrationAuthorizer.Authorization authorization, Prepared prepared) {
        Instant now = clock.instant();
        ClientMetadata effective = prepared.metadata();
        ClientTemplate template = prepared.template();
        Optional<VerifiedStatement> statement = prepared.statement();
        Optional<Profile> profile = prepared.profile();
        String clientId = credentials.newClientId();
        IssuedCredentials issued = credentials.issue(CredentialIssuer.kindFor(effective), clientId, now);
        var registrant = prepared.registrant();
        DynamicClient client = new DynamicClient(clientId, ClientStatus.ACTIVE, effective,
                issued.clientSecretHash(), issued.clientSecretEncrypted(), issued.clientSecretExpiresAt(), issued.registrationTokenHash(),
                issued.registrationTokenExpiresAt(), issued.registrationTokenDeleteExpiresAt(), registrant.subject(),
                registrant.kindName(), registrant.authenticatedUser(), template == null ? null : template.templateId(), now, now,
                template, new RegistrationOrigin(registrant.certificate(), statement.map(VerifiedStatement::statement).orElse(null),
                statement.map(VerifiedStatement::claims).orElse(Map.of())).withProfile(profile.map(Profile::name).orElse(null),
                prepared.uniqueSoftwareId()));
        try {
            if (!clients.register(client, authorization.consumes(), now)) {
                throw OAuthException.invalidToken("The access token has no registrations left");
            }
        } catch (SoftwareIdTaken e) {
            throw OAuthException.invalidClientMetadata("Security profile " + profile.map(Profile::name).orElse("") + ": software_id '"
                    + client.origin().uniqueSoftwareId() + "' is registered already; manage that registration instead (RFC 7592)");
        }
        return ClientInformation.of(client, issued.clientSecret(), issued.registrationToken(), clientUri.apply(client), now);
    }

    /** The software_id to keep unique when the profile allows one registration per software product (Australia's CDR). */
    private static String uniqueSoftwareId(Optional<Profile> profile, ClientMetadata effective) {
        if (profile.isEmpty() || !profile.get().registration().uniqueSoftwareId()) {
            return null;
        }
        String softwareId = effective.string(Param.SOFTWARE_ID);
        if (softwareId == null || softwareId.isBlank()) {
            throw OAuthException.invalidClientMetadata("Security profile " + profile.get().name() + ": software_id is required");
        }
        return softwareId;
    }

    /** The first configured way that applies decides; a caller no way applies to presented nothing (RFC 6750 §3.1). */
    private RegistrationAuthorizer.Authorization authorize(Caller caller) {
        for (RegistrationAuthorizer way : ways) {
            Optional<RegistrationAuthorizer.Authorization> authorization = way.authorize(caller);
            if (authorization.isPresent()) {
                return authorization.get();
            }
        }
        throw OAuthException.tokenRequired();
    }

    /** Explain mode: the described registrant, judged by the way it names, with no credential presented or used up. */
    private RegistrationAuthorizer.Authorization describe(DescribedRegistrant described) {
        for (RegistrationAuthorizer way : ways) {
            Optional<RegistrationAuthorizer.Authorization> authorization = way.describe(described);
            if (authorization.isPresent()) {
                return authorization.get();
            }
        }
        throw OAuthException.invalidRequest("Registration authorised this way (" + described.kind().dbValue()
                + ") is not enabled on this server (registration.authorization)");
    }

    /**
     * Issue 20 §1: a tls_client_auth client registered by its certificate alone, and naming no subject
     * parameter (RFC 8705 §2.1.2), authenticates with that certificate's subject DN. Set on the request
     * as sent, before it is read, since a tls_client_auth client without a subject is not metadata.
     */
    private static Map<String, Object> certificateSubjectDefault(Map<String, Object> body, Registrant registrant) {
        if (registrant.kind() != Registrant.Kind.MUTUAL_TLS || !"tls_client_auth".equals(body.get(Param.TOKEN_ENDPOINT_AUTH_METHOD))
                || Param.TLS_SUBJECT_PARAMS.stream().anyMatch(body::containsKey)) {
            return body;
        }
        Map<String, Object> withSubject = new LinkedHashMap<>(body);
        withSubject.put(Param.TLS_CLIENT_AUTH_SUBJECT_DN, registrant.certificate().subjectDn());
        return withSubject;
    }

    /**
     * Issue 20 §1: a tls_client_auth client registered by its certificate must name that certificate's
     * subject, compared as the token endpoint compares it (RFC 4514 for DNs, by value for SANs).
     */
    private static void requireCertificateSubject(ClientMetadata metadata, Registrant registrant, ClientCertificate certificate) {
        if (registrant.kind() == Registrant.Kind.MUTUAL_TLS && "tls_client_auth".equals(metadata.authMethod())
                && !CertificateSubjects.matches(metadata, certificate.leaf())) {
            throw OAuthException.invalidClientMetadata("The tls_client_auth subject parameter does not match the certificate "
                    + "this registration was made with");
        }
    }

    /** The template a registration's software_id names, or null when it names none (or software_id is free-form). */
    private ClientTemplate template(ClientMetadata requested) {
        Object softwareId = requested.document().get(Param.SOFTWARE_ID);
        if (!softwareIdSelectsTemplate || softwareId == null) {
            return null;
        }
        if (!(softwareId instanceof String id) || id.isEmpty() || id.length() > 255) {
            throw OAuthException.invalidClientMetadata("software_id must be a non-empty string naming a template");
        }
        return templates.find(id).orElseThrow(() -> OAuthException.invalidClientMetadata(
                "software_id '" + id + "' names no template on this server"));
    }
}
