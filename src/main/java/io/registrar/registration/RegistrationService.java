package io.registrar.registration;

import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.MetadataJson;
import io.registrar.metadata.MetadataValidator;
import io.registrar.metadata.Param;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.Operation;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.Registrant;
import io.registrar.policy.RegistrationPolicy;
import io.registrar.store.AccessToken;
import io.registrar.metadata.TemplateOverlay;
import io.registrar.store.ClientStatus;
import io.registrar.store.ClientTemplate;
import io.registrar.store.TemplateStore;
import io.registrar.store.ClientStore;
import io.registrar.store.DynamicClient;
import io.registrar.token.AccessTokens;
import io.registrar.token.PresentedToken;
import io.registrar.token.TokenService;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * RFC 7591 client registration: authorise the caller, parse, apply policies (defaults, overrides),
 * validate what will be stored, issue credentials, store in one call, answer with what was stored.
 */
public final class RegistrationService {

    private final AccessTokens accessTokens;
    private final RegistrationPolicy policies;
    private final MetadataValidator validator;
    private final CredentialIssuer credentials;
    private final ClientStore clients;
    private final Clock clock;
    private final UnaryOperator<String> clientUri;
    private final TemplateStore templates;
    private final Set<Registrant.Kind> enabled;
    private final boolean softwareIdSelectsTemplate;
    private final Function<String, List<String>> tokenTemplates;

    /**
     * @param enabled                   the ways of authorising a registration that are on (registration.authorization)
     * @param softwareIdSelectsTemplate whether software_id names a template (templatized DCR) or is free-form (RFC 7591 §2)
     * @param tokenTemplates            by the client_id a DCR token was issued to: the templates its registrations
     *                                  must be made from (empty: any, or none)
     */
    public RegistrationService(AccessTokens accessTokens, RegistrationPolicy policies, MetadataValidator validator,
                               CredentialIssuer credentials, ClientStore clients, TemplateStore templates, Clock clock,
                               UnaryOperator<String> clientUri, Set<Registrant.Kind> enabled, boolean softwareIdSelectsTemplate,
                               Function<String, List<String>> tokenTemplates) {
        this.tokenTemplates = tokenTemplates;
        this.templates = templates;
        this.enabled = Set.copyOf(enabled);
        this.softwareIdSelectsTemplate = softwareIdSelectsTemplate;
        this.accessTokens = accessTokens;
        this.policies = policies;
        this.validator = validator;
        this.credentials = credentials;
        this.clients = clients;
        this.clock = clock;
        this.clientUri = clientUri;
    }

    /** @return the RFC 7591 §3.2.1 client information response body */
    public Map<String, Object> register(PresentedToken bearerToken, Map<String, Object> body) {
        Registrant registrant = authorize(bearerToken);
        if (body.containsKey(Param.SOFTWARE_STATEMENT)) {
            // RFC 7591 §3.1.1: a statement the server cannot verify must not be silently trusted or dropped.
            throw OAuthException.of(OAuthError.INVALID_SOFTWARE_STATEMENT, "Software statements are not accepted by this server");
        }
        List<String> allowedTemplates = tokenTemplates.apply(registrant.subject());
        if (allowedTemplates.size() == 1 && !body.containsKey(Param.SOFTWARE_ID)) {
            // The token's client registers from one template: it applies without being named (RFC 7591 §2:
            // the server may provide defaults), and the response shows it.
            body = new java.util.LinkedHashMap<>(body);
            body.put(Param.SOFTWARE_ID, allowedTemplates.getFirst());
        }
        ClientMetadata requested = MetadataJson.parse(body);
        ClientTemplate template = template(requested);
        if (!allowedTemplates.isEmpty() && (template == null || !allowedTemplates.contains(template.templateId()))) {
            throw OAuthException.invalidClientMetadata("Registrations with this access token must name one of the templates "
                    + allowedTemplates + " in software_id");
        }
        ClientMetadata effective = policies.apply(new PolicyContext(Operation.REGISTER, registrant), requested);
        if (template != null) {
            // Templatized DCR: the template's settings win over whatever the request says.
            effective = TemplateOverlay.apply(effective, template.metadata());
        }
        validator.validate(effective);

        Instant now = clock.instant();
        String clientId = credentials.newClientId();
        IssuedCredentials issued = credentials.issue(CredentialIssuer.kindFor(effective), clientId, now);
        DynamicClient client = new DynamicClient(clientId, ClientStatus.ACTIVE, effective,
                issued.clientSecretHash(), issued.clientSecretEncrypted(), issued.clientSecretExpiresAt(), issued.registrationTokenHash(),
                issued.registrationTokenExpiresAt(), issued.registrationTokenDeleteExpiresAt(), registrant.subject(),
                registrant.kindName(), registrant.authenticatedUser(), template == null ? null : template.templateId(), now, now,
                template);
        String consume = registrant.registrationsLeft() == null ? null : registrant.tokenHash();
        if (!clients.register(client, consume, now)) {
            throw OAuthException.invalidToken("The access token has no registrations left");
        }
        return ClientInformation.of(client, issued.clientSecret(), issued.registrationToken(), clientUri.apply(client.clientId()), now);
    }

    /** RFC 6750 §3.1: missing/invalid → 401 invalid_token; a valid token without scope dcr → 403 insufficient_scope. */
    private Registrant authorize(PresentedToken bearerToken) {
        AccessToken token = accessTokens.requireScope(bearerToken, TokenService.DCR_SCOPE);
        if (token.registrationsLeft() != null && token.registrationsLeft() <= 0) {
            throw OAuthException.invalidToken("The access token has no registrations left");
        }
        // A DCR token with a subject came from a user's login through a registration client.
        Registrant.Kind kind = token.subject() != null ? Registrant.Kind.USER_AUTHENTICATES : Registrant.Kind.CLIENT_AUTHENTICATES;
        if (!enabled.contains(kind)) {
            throw OAuthException.invalidToken("Registration authorised this way (" + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + ") is disabled on this server");
        }
        return new Registrant(kind, token.clientId(), token.subject(), token.tokenHash(), token.registrationsLeft());
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
