package io.registrar.registration;

import io.registrar.clientauth.CertificateSubjects;
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
    private final UnaryOperator<String> clientUri;
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
                               UnaryOperator<String> clientUri, boolean softwareIdSelectsTemplate,
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
        return register(caller, authorization, body, statement, Map.of());
    }

    /**
     * A signed registration request (Content-Type application/jwt, issue 20 §4): the compact JWS is
     * verified with the software's own keys, found through the statement it carries; its claims are
     * then the registration.
     */
    public Map<String, Object> registerSigned(Caller caller, String jws) {
        RegistrationAuthorizer.Authorization authorization = authorize(caller);
        SignedRequest signed = statements.signedRegistration(authorization.registrant().kind(), jws);
        return register(caller, authorization, signed.body(), Optional.of(signed.statement()), signed.claims());
    }

    private Map<String, Object> register(Caller caller, RegistrationAuthorizer.Authorization authorization, Map<String, Object> body,
                                         Optional<VerifiedStatement> statement, Map<String, Object> signedClaims) {
        if (statement.isPresent()) {
            // RFC 7591 §2.3: the statement's claims win over the same members of the body.
            body = SoftwareStatements.claimsOver(body, statement.get().claims());
        }
        List<String> allowedTemplates = tokenTemplates.apply(authorization.registrant().subject());
        if (allowedTemplates.size() == 1 && !body.containsKey(Param.SOFTWARE_ID)) {
            // The token's client registers from one template: it applies without being named (RFC 7591 §2:
            // the server may provide defaults), and the response shows it.
            body = new LinkedHashMap<>(body);
            body.put(Param.SOFTWARE_ID, allowedTemplates.getFirst());
        }
        body = certificateSubjectDefault(body, authorization.registrant());
        MetadataJson.Parsed parsed = MetadataJson.parseWithExtensions(body);
        RegistrationRequest request = new RegistrationRequest(parsed.metadata(),
                statement.map(VerifiedStatement::claims).orElse(Map.of()), signedClaims, parsed.extensions());
        // A statement's software_id is the directory's name for the software, not one of this server's
        // templates: with a statement, software_id selects none.
        ClientTemplate template = statement.isPresent() ? null : template(request.metadata());
        if (!allowedTemplates.isEmpty() && (template == null || !allowedTemplates.contains(template.templateId()))) {
            throw OAuthException.invalidClientMetadata("Registrations with this access token must name one of the templates "
                    + allowedTemplates + " in software_id");
        }
        // Templatized DCR: the template's settings win over whatever the request says; the policies
        // then see the client as the template makes it.
        ClientMetadata templated = template == null ? request.metadata() : TemplateOverlay.apply(request.metadata(), template.metadata());
        Optional<Profile> profile = profiles.select(authorization.registrant());
        ClientMetadata effective = policies.apply(new PolicyContext(Operation.REGISTER, authorization.registrant(), request,
                profile.map(Profile::name).orElse(null)), templated);
        requireCertificateSubject(effective, authorization.registrant(), caller);
        validator.validate(effective);

        Instant now = clock.instant();
        String clientId = credentials.newClientId();
        IssuedCredentials issued = credentials.issue(CredentialIssuer.kindFor(effective), clientId, now);
        var registrant = authorization.registrant();
        DynamicClient client = new DynamicClient(clientId, ClientStatus.ACTIVE, effective,
                issued.clientSecretHash(), issued.clientSecretEncrypted(), issued.clientSecretExpiresAt(), issued.registrationTokenHash(),
                issued.registrationTokenExpiresAt(), issued.registrationTokenDeleteExpiresAt(), registrant.subject(),
                registrant.kindName(), registrant.authenticatedUser(), template == null ? null : template.templateId(), now, now,
                template, new RegistrationOrigin(registrant.certificate(), statement.map(VerifiedStatement::statement).orElse(null),
                statement.map(VerifiedStatement::claims).orElse(Map.of())).withProfile(profile.map(Profile::name).orElse(null),
                uniqueSoftwareId(profile, effective)));
        try {
            if (!clients.register(client, authorization.consumes(), now)) {
                throw OAuthException.invalidToken("The access token has no registrations left");
            }
        } catch (SoftwareIdTaken e) {
            throw OAuthException.invalidClientMetadata("Security profile " + profile.map(Profile::name).orElse("") + ": software_id '"
                    + client.origin().uniqueSoftwareId() + "' is registered already; manage that registration instead (RFC 7592)");
        }
        return ClientInformation.of(client, issued.clientSecret(), issued.registrationToken(), clientUri.apply(client.clientId()), now);
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
    private static void requireCertificateSubject(ClientMetadata metadata, Registrant registrant, Caller caller) {
        if (registrant.kind() == Registrant.Kind.MUTUAL_TLS && "tls_client_auth".equals(metadata.authMethod())
                && !CertificateSubjects.matches(metadata, caller.certificate().leaf())) {
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
