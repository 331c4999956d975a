package io.registrar.admin;

import io.registrar.clientauth.ClientCertificate;
import io.registrar.management.ManagementService;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.MetadataJson;
import io.registrar.metadata.MetadataValidator;
import io.registrar.metadata.Param;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.DefaultsPolicy;
import io.registrar.policy.Operation;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.Registrant;
import io.registrar.policy.RegistrationRequest;
import io.registrar.profile.ProfileSelector;
import io.registrar.profile.Profiles;
import io.registrar.registration.DescribedRegistrant;
import io.registrar.registration.RegistrationService;
import io.registrar.store.AccessToken;
import io.registrar.store.Backup;
import io.registrar.store.BackupStore;
import io.registrar.store.ClientStatus;
import io.registrar.store.ClientStore;
import io.registrar.store.ClientTemplate;
import io.registrar.store.DynamicClient;
import io.registrar.store.StatusChange;
import io.registrar.store.TemplateStore;
import io.registrar.store.User;
import io.registrar.store.UserStore;
import io.registrar.token.AccessTokens;
import io.registrar.token.PresentedToken;
import io.registrar.token.TokenService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's view (admin HTTP endpoint and the {@code registrar clients} and {@code registrar backup}
 * commands, which call it): a user's dynamic clients, cutting one off and re-enabling it, template
 * clients, and backups of the embedded database. Every call needs an access token with scope dcrm. A
 * status change is one transaction with its audit record; the
 * client's tokens and registration access token stop working at once because every check reads the
 * client's status (nothing is copied into the tokens).
 */
public final class AdminService {

    private static final Logger log = LoggerFactory.getLogger(AdminService.class);

    private final Profiles profiles;
    private final ProfileSelector profileSelector;

    private final AccessTokens accessTokens;
    private final ClientStore clients;
    private final TemplateStore templates;
    private final UserStore users;
    private final BackupStore backups;
    private final MetadataValidator validator;
    private final Clock clock;
    private final RegistrationService registration;
    private final ManagementService management;

    public AdminService(AccessTokens accessTokens, ClientStore clients, TemplateStore templates, UserStore users,
                        BackupStore backups, MetadataValidator validator, Profiles profiles, ProfileSelector profileSelector, Clock clock,
                        RegistrationService registration, ManagementService management) {
        this.registration = registration;
        this.management = management;
        this.profiles = profiles;
        this.profileSelector = profileSelector;
        this.accessTokens = accessTokens;
        this.clients = clients;
        this.templates = templates;
        this.users = users;
        this.backups = backups;
        this.validator = validator;
        this.clock = clock;
    }

    /** The dynamic clients registered through a user's login; {@code user} is a username or a user id (sub). */
    public Map<String, Object> clientsOfUser(PresentedToken bearer, String user) {
        authorize(bearer);
        if (user == null || user.isBlank() || user.length() > 255) {
            throw OAuthException.invalidRequest("user is required: a username or a user id");
        }
        Optional<User> known = users.findByUsername(user.strip().toLowerCase(java.util.Locale.ROOT)).or(() -> users.find(user));
        String userId = known.map(User::userId).orElse(user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", userId);
        known.ifPresent(u -> out.put("username", u.username()));
        out.put("clients", clients.listByUser(userId).stream().map(AdminService::summary).toList());
        return out;
    }

    /**
     * The shipped security profiles (issue 20 §6): each one's rules as its data file states them, with
     * their sources, and the ways of registering this deployment attaches it to.
     */
    public Map<String, Object> profiles(PresentedToken bearer) {
        authorize(bearer);
        Map<String, List<String>> attached = profileSelector.attachments();
        return Map.of("profiles", profiles.all().stream().map(p -> {
            Map<String, Object> out = new LinkedHashMap<>(profiles.document(p.name()));
            out.put("applied_to", attached.getOrDefault(p.name(), List.of()));
            return out;
        }).toList());
    }

    /**
     * Explain mode (issue 20 §5): runs the whole registration or update for the request an operator
     * gives, and answers the decision trace; nothing is stored, no credential issued or used up. The
     * body: {@code operation} ({@code register}, the default, or {@code update}), {@code request} (the
     * JSON object a client would send, or a signed request's compact JWS), for a registration the
     * {@code registrant} ({@code kind}, default client_authenticates; {@code client}, default
     * "operator"; {@code user}; {@code certificate}, PEM), for an update the {@code client_id} of the
     * existing client, whose registrant, profile, template and statement apply.
     */
    public Map<String, Object> explain(PresentedToken bearer, Map<String, Object> body) {
        authorize(bearer);
        for (String member : body.keySet()) {
            if (!EXPLAIN_MEMBERS.contains(member)) {
                throw OAuthException.invalidRequest("Unknown member '" + member + "'; an explain request has " + EXPLAIN_MEMBERS);
            }
        }
        Object operation = body.getOrDefault("operation", "register");
        Object request = body.get("request");
        if (!(request instanceof Map<?, ?>) && !(request instanceof String s && !s.isBlank())) {
            throw OAuthException.invalidRequest("request is required: the registration JSON object a client would send, or a signed "
                    + "request (a compact JWS string)");
        }
        if ("register".equals(operation)) {
            if (body.containsKey("client_id")) {
                throw OAuthException.invalidRequest("client_id names the client of an update; a registration has none");
            }
            return registration.explain(registrant(body.get("registrant")), request);
        }
        if ("update".equals(operation)) {
            if (body.containsKey("registrant")) {
                throw OAuthException.invalidRequest("An update runs as its client was registered: registrant is not given for an update");
            }
            if (!(body.get("client_id") instanceof String clientId) || clientId.isBlank()) {
                throw OAuthException.invalidRequest("client_id is required for an update: the existing client to update");
            }
            return management.explainUpdate(clientId, request);
        }
        throw OAuthException.invalidRequest("operation must be register or update");
    }

    private static final List<String> EXPLAIN_MEMBERS = List.of("operation", "request", "registrant", "client_id");
    private static final List<String> REGISTRANT_MEMBERS = List.of("kind", "client", "user", "certificate");
    /** Who registers when the explain request does not say: an initial client's DCR token. */
    static final String DEFAULT_CLIENT = "operator";

    private static DescribedRegistrant registrant(Object value) {
        if (value == null) {
            return new DescribedRegistrant(Registrant.Kind.CLIENT_AUTHENTICATES, DEFAULT_CLIENT, null, null);
        }
        if (!(value instanceof Map<?, ?> r)) {
            throw OAuthException.invalidRequest("registrant must be an object with " + REGISTRANT_MEMBERS);
        }
        for (Object member : r.keySet()) {
            if (!REGISTRANT_MEMBERS.contains(member)) {
                throw OAuthException.invalidRequest("Unknown member registrant." + member + "; a registrant has " + REGISTRANT_MEMBERS);
            }
            if (r.get(member) != null && !(r.get(member) instanceof String)) {
                throw OAuthException.invalidRequest("registrant." + member + " must be a string");
            }
        }
        Registrant.Kind kind;
        try {
            kind = Registrant.Kind.fromDb(r.get("kind") instanceof String k ? k : "client_authenticates");
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("registrant.kind must be one of client_authenticates, user_authenticates, mutual_tls");
        }
        ClientCertificate certificate = null;
        if (r.get("certificate") instanceof String pem) {
            try {
                certificate = ClientCertificate.fromPem(pem);
            } catch (IllegalArgumentException e) {
                throw OAuthException.invalidRequest("registrant.certificate: " + e.getMessage());
            }
        }
        String client = r.get("client") instanceof String c && !c.isBlank() ? c : kind == Registrant.Kind.MUTUAL_TLS ? null : DEFAULT_CLIENT;
        return new DescribedRegistrant(kind, client, (String) r.get("user"), certificate);
    }

    /** One dynamic client: its summary and the audit trail of its status. */
    public Map<String, Object> client(PresentedToken bearer, String clientId) {
        authorize(bearer);
        DynamicClient c = clients.find(clientId).orElseThrow(AdminService::noSuchClient);
        Map<String, Object> out = summary(c);
        out.put("status_history", clients.statusHistory(clientId).stream().map(AdminService::change).toList());
        return out;
    }

    /** Cuts a client off (REVOKED) or re-enables it (ACTIVE); audited with the admin client and the reason. */
    public Map<String, Object> changeStatus(PresentedToken bearer, String clientId, ClientStatus status, String reason) {
        AccessToken admin = authorize(bearer);
        if (reason != null && reason.length() > 1000) {
            throw OAuthException.invalidRequest("reason is longer than 1000 characters");
        }
        StatusChange change = new StatusChange(clientId, status, admin.clientId(), reason, clock.instant());
        if (!clients.changeStatus(change)) {
            throw noSuchClient();
        }
        log.info("client {} set to {} by {}", clientId, status.dbValue(), admin.clientId());
        return client(bearer, clientId);
    }

    public Map<String, Object> templates(PresentedToken bearer) {
        authorize(bearer);
        return Map.of("templates", templates.list().stream().map(AdminService::template).toList());
    }

    public Map<String, Object> template(PresentedToken bearer, String templateId) {
        authorize(bearer);
        return template(templates.find(templateId).orElseThrow(() -> OAuthException.of(OAuthError.NOT_FOUND, "No such template")));
    }

    /**
     * Creates or replaces a template from RFC 7591 metadata plus {@code access_token_lifetime} and
     * {@code refresh_token_lifetime} (seconds). Every client made from it follows at once.
     */
    public Map<String, Object> saveTemplate(PresentedToken bearer, String templateId, Map<String, Object> body) {
        authorize(bearer);
        Duration access = seconds(body.get("access_token_lifetime"), "access_token_lifetime");
        Duration refresh = seconds(body.get("refresh_token_lifetime"), "refresh_token_lifetime");
        Map<String, Object> metadata = new LinkedHashMap<>(body);
        metadata.remove("access_token_lifetime");
        metadata.remove("refresh_token_lifetime");
        ClientTemplate saved = saveTemplate(templateId, MetadataJson.parse(metadata), access, refresh);
        return template(saved);
    }

    /** Validates and stores a template (also used at start-up for the configured ones). */
    public ClientTemplate saveTemplate(String templateId, ClientMetadata requested, Duration accessTokenLifetime,
                                       Duration refreshTokenLifetime) {
        if (templateId == null || templateId.isBlank() || templateId.length() > 255) {
            throw OAuthException.invalidRequest("A template id is 1 to 255 characters");
        }
        // A template is complete: every parameter it governs gets its value here, defaults included.
        // No default scope: a template names its scopes itself (templates[].scopes).
        ClientMetadata m = new DefaultsPolicy(List.of()).apply(new PolicyContext(Operation.REGISTER,
                new Registrant(Registrant.Kind.CLIENT_AUTHENTICATES, "operator", null), RegistrationRequest.of(requested, Map.of())),
                requested);
        m = m.without(Param.SOFTWARE_ID);
        validator.validate(m);
        ClientTemplate t = new ClientTemplate(templateId, m, accessTokenLifetime, refreshTokenLifetime, clock.instant());
        templates.save(t);
        return t;
    }

    /**
     * A copy of the embedded database, taken while the server serves, for the caller to save and close.
     * It holds the signing keys and, unless configured, the hashing and encryption keys: a dcrm token
     * already reads and changes every client. PostgreSQL is refused: the server has no business
     * copying a database that pg_dump and base backups copy consistently and without it.
     */
    public Backup backup(PresentedToken bearer) {
        AccessToken admin = authorize(bearer);
        Backup backup = backups.backup(clock.instant()).orElseThrow(() -> OAuthException.invalidRequest(
                "This server's database is not the embedded one: back up PostgreSQL with pg_dump or base backups "
                        + "(docs/operating.md, \"Backups\")"));
        log.info("database backed up for {}: {} bytes", admin.clientId(), backup.size());
        return backup;
    }

    private AccessToken authorize(PresentedToken bearer) {
        return accessTokens.requireScope(bearer, TokenService.DCRM_SCOPE);
    }

    private static Map<String, Object> summary(DynamicClient c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", c.clientId());
        out.put("status", c.status().dbValue());
        Optional.ofNullable(c.metadata().string(Param.CLIENT_NAME)).ifPresent(n -> out.put("client_name", n));
        Optional.ofNullable(c.templateId()).ifPresent(t -> out.put("template", t));
        Optional.ofNullable(c.authenticatedUser()).ifPresent(u -> out.put(Param.AUTHENTICATED_USER, u));
        out.put("registered_by", c.registeredBy());
        out.put("registrant_kind", c.registrantKind());
        // Issue 20 §1, §3: the registering certificate and the statement's claims, for operators.
        if (!c.origin().isNone()) {
            out.put("origin", c.origin().document());
        }
        out.put("created_at", c.createdAt().getEpochSecond());
        out.put("updated_at", c.updatedAt().getEpochSecond());
        return out;
    }

    private static Map<String, Object> change(StatusChange c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", c.status().dbValue());
        out.put("actor", c.actor());
        if (c.reason() != null) {
            out.put("reason", c.reason());
        }
        out.put("changed_at", c.changedAt().getEpochSecond());
        return out;
    }

    private static Map<String, Object> template(ClientTemplate t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("template_id", t.templateId());
        out.putAll(t.metadata().document());
        if (t.accessTokenLifetime() != null) {
            out.put("access_token_lifetime", t.accessTokenLifetime().toSeconds());
        }
        if (t.refreshTokenLifetime() != null) {
            out.put("refresh_token_lifetime", t.refreshTokenLifetime().toSeconds());
        }
        out.put("updated_at", t.updatedAt().getEpochSecond());
        return out;
    }

    private static Duration seconds(Object v, String name) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != n.longValue()) {
            throw OAuthException.invalidClientMetadata(name + " must be a positive whole number of seconds");
        }
        return Duration.ofSeconds(n.longValue());
    }

    private static OAuthException noSuchClient() {
        return OAuthException.of(OAuthError.NOT_FOUND, "No such dynamic client");
    }

}
