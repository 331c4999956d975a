package io.registrar.plugin;

import io.registrar.crypto.CertificateIdentity;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.MetadataJson;
import io.registrar.metadata.Param;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.Operation;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.Registrant;
import io.registrar.policy.RegistrationPolicy;
import io.registrar.spi.RegistrationDecision;
import io.registrar.spi.RegistrationError;
import io.registrar.spi.RegistrationInput;
import io.registrar.spi.RegistrationPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One deployer's plug-in as a step of the policy chain: builds its immutable input, applies its
 * decision, and holds it to the contract of {@link io.registrar.spi}. A plug-in's failure (an
 * exception, no answer, a member it may not set) is its bug, not the client's: it is logged in full
 * and the request refused with invalid_client_metadata, so no client is created without the check
 * the deployer installed and no 5xx is answered for it.
 */
public final class PluginPolicy implements RegistrationPolicy {

    private static final Logger log = LoggerFactory.getLogger(PluginPolicy.class);
    static final String FAILED = "A registration policy failed";

    /**
     * Client information (RFC 7591 §3.2.1, RFC 7592 §3) the server alone sets, the statement only a
     * directory signs (RFC 7591 §2.3), and who registered: never metadata a plug-in may set.
     */
    static final Set<String> SERVER_SET = Set.of(Param.CLIENT_ID, Param.CLIENT_SECRET, Param.CLIENT_ID_ISSUED_AT,
            Param.CLIENT_SECRET_EXPIRES_AT, Param.REGISTRATION_ACCESS_TOKEN, Param.REGISTRATION_ACCESS_TOKEN_EXPIRES_IN,
            Param.REGISTRATION_CLIENT_URI, Param.AUTHENTICATED_USER, Param.SOFTWARE_STATEMENT);

    private final RegistrationPlugin plugin;
    private final String name;

    public PluginPolicy(RegistrationPlugin plugin) {
        this.plugin = Objects.requireNonNull(plugin, "plugin");
        String n;
        try {
            n = plugin.name();
        } catch (RuntimeException e) {
            n = null;
        }
        this.name = n == null || n.isBlank() ? plugin.getClass().getName() : n;
    }

    public String name() {
        return name;
    }

    @Override
    public String name(PolicyContext context) {
        return "plugin " + name;
    }

    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata) {
        RegistrationInput input = new RegistrationInput(
                context.operation() == Operation.REGISTER ? RegistrationInput.Operation.REGISTER : RegistrationInput.Operation.UPDATE,
                registrant(context.registrant()), metadata.document(), context.request().statementClaims(),
                context.request().extensions());
        RegistrationDecision decision;
        try {
            decision = plugin.apply(input);
        } catch (RuntimeException | LinkageError e) {
            throw failed("threw " + e, e);
        }
        return switch (decision) {
            case null -> throw failed("returned no decision", null);
            case RegistrationDecision.Reject r -> throw OAuthException.of(error(r.error()),
                    r.description().isBlank() ? "Refused by registration policy" : r.description());
            case RegistrationDecision.Accept a -> applyChanges(metadata, a);
        };
    }

    private ClientMetadata applyChanges(ClientMetadata metadata, RegistrationDecision.Accept accept) {
        ClientMetadata out = metadata;
        for (RegistrationDecision.Change change : accept.changes()) {
            String member = change.member();
            if (SERVER_SET.contains(member)) {
                throw failed("may not set or drop '" + member + "', which only the server sets", null);
            }
            out = switch (change.kind()) {
                case DROP -> out.without(member);
                case DEFAULT -> out.has(member) ? out : out.with(member, checked(member, change.value()));
                case OVERRIDE -> out.with(member, checked(member, change.value()));
            };
        }
        return out;
    }

    /**
     * The value as the server would have read it from a request: a member the server does not
     * understand would be stored and echoed against RFC 7591 §2, so it is the plug-in's bug; a value of
     * the wrong shape is refused like a client's (invalid_client_metadata, invalid_redirect_uri).
     */
    private Object checked(String member, Object value) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(member, value);
        MetadataJson.Parsed parsed = MetadataJson.parseWithExtensions(one);
        if (!parsed.extensions().isEmpty() || !parsed.metadata().has(member)) {
            throw failed("set '" + member + "', which is not client metadata this server understands", null);
        }
        return parsed.metadata().document().get(member);
    }

    private OAuthException failed(String what, Throwable cause) {
        log.error("Registration plug-in '{}' {}; the request is refused with invalid_client_metadata", name, what, cause);
        return OAuthException.of(OAuthError.INVALID_CLIENT_METADATA, FAILED);
    }

    private static OAuthError error(RegistrationError error) {
        return switch (error) {
            case INVALID_REDIRECT_URI -> OAuthError.INVALID_REDIRECT_URI;
            case INVALID_CLIENT_METADATA -> OAuthError.INVALID_CLIENT_METADATA;
            case INVALID_SOFTWARE_STATEMENT -> OAuthError.INVALID_SOFTWARE_STATEMENT;
            case UNAPPROVED_SOFTWARE_STATEMENT -> OAuthError.UNAPPROVED_SOFTWARE_STATEMENT;
        };
    }

    static RegistrationInput.Registrant registrant(Registrant r) {
        boolean byToken = r.kind() != Registrant.Kind.MUTUAL_TLS;
        CertificateIdentity c = r.certificate();
        return new RegistrationInput.Registrant(r.kindName(), Optional.ofNullable(byToken ? r.subject() : null),
                Optional.ofNullable(r.authenticatedUser()),
                Optional.ofNullable(c == null ? null : new RegistrationInput.Certificate(c.subjectDn(), c.issuerDn(), c.thumbprint())));
    }
}
