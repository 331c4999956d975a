package io.registrar.policy;

import io.registrar.crypto.CertificateIdentity;
import io.registrar.metadata.ClientMetadata;
import io.registrar.oauth.OAuthException;
import io.registrar.rules.Facts;
import io.registrar.rules.RuleSet;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The declarative rules ({@code registration.rules}) as a step of the chain, after the defaults and
 * the profile's overrides and before the plug-ins (STYLE.md §2.5). The rules see the operation, the
 * registrant, its certificate and the verified statement's claims; their refusals carry the RFC 7591
 * §3.2.2 error each rule names.
 */
public final class RulesPolicy implements RegistrationPolicy {

    private final RuleSet rules;

    public RulesPolicy(RuleSet rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata) {
        Map<String, Object> out = rules.apply(facts(context), metadata.document());
        return out == metadata.document() ? metadata : new ClientMetadata(out);
    }

    /** Each rule recorded on its own, as "rule <name>": skipped, what it changed, or its refusal. */
    @Override
    public ClientMetadata apply(PolicyContext context, ClientMetadata metadata, Trace trace) {
        Map<String, Object> out = rules.apply(facts(context), metadata.document(), new RuleSet.Listener() {
            @Override
            public void skipped(String rule) {
                trace.note("rule " + rule, "not_applicable", Map.of("reason", "its conditions do not hold"));
            }

            @Override
            public void applied(String rule, Map<String, Object> before, Map<String, Object> after) {
                trace.changed("rule " + rule, before, after);
            }

            @Override
            public void refused(String rule, OAuthException refusal) {
                trace.refused("rule " + rule, refusal);
            }
        });
        return out == metadata.document() ? metadata : new ClientMetadata(out);
    }

    static Facts facts(PolicyContext context) {
        Registrant r = context.registrant();
        CertificateIdentity certificate = r.certificate();
        return new Facts(context.operation().name().toLowerCase(Locale.ROOT), r.kindName(),
                r.kind() == Registrant.Kind.MUTUAL_TLS ? null : r.subject(), r.authenticatedUser(),
                certificate == null ? null : certificate.subjectDn(), certificate == null ? null : certificate.issuerDn(),
                context.request().statementClaims());
    }
}
