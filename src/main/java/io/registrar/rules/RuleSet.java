package io.registrar.rules;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The declarative registration rules ({@code registration.rules}, documented in
 * registrar-defaults.yaml), compiled. Rules are evaluated in order; each sees the metadata as the
 * rules before it left it. A rule whose conditions all hold (no {@code when}: always) either refuses
 * the request with its RFC 7591 §3.2.2 error and message, or changes the metadata: overrides, then
 * defaults (only where absent), then drops. A refusal ends the evaluation.
 */
public final class RuleSet {

    /** The RFC 7591 §3.2.2 errors a rule may refuse with (all 400). */
    static final Map<String, OAuthError> ERRORS = Map.of(
            "invalid_client_metadata", OAuthError.INVALID_CLIENT_METADATA,
            "invalid_redirect_uri", OAuthError.INVALID_REDIRECT_URI,
            "invalid_software_statement", OAuthError.INVALID_SOFTWARE_STATEMENT,
            "unapproved_software_statement", OAuthError.UNAPPROVED_SOFTWARE_STATEMENT);

    /** The facts a condition may name besides metadata.* and statement.*. */
    static final List<String> FACTS = List.of("operation", "registrant.kind", "registrant.client", "registrant.user",
            "certificate.subject", "certificate.issuer");

    /**
     * Members no rule may set or drop: RFC 7591 §2.3's statement is the directory's to sign; client
     * information (client_id, client_secret, registration_access_token, …) is not metadata at all and is
     * refused as unknown.
     */
    static final Set<String> NOT_RULE_MEMBERS = Set.of("software_statement");

    /** The values operation and registrant.kind take (registration.authorization names the kinds). */
    static final Map<String, List<String>> KNOWN_VALUES = Map.of(
            "operation", List.of("register", "update"),
            "registrant.kind", List.of("client_authenticates", "user_authenticates", "mutual_tls"));

    private static final Set<String> RULE_KEYS = Set.of("name", "when", "reject", "default", "override", "drop");

    private final List<Rule> rules;

    private RuleSet(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static RuleSet empty() {
        return new RuleSet(List.of());
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public int size() {
        return rules.size();
    }

    /**
     * Applies the rules to {@code metadata} (an RFC 7591 §2 document).
     *
     * @return the metadata as the rules leave it
     * @throws OAuthException the error of the first refusing rule
     */
    public Map<String, Object> apply(Facts facts, Map<String, Object> metadata) {
        return apply(facts, metadata, null);
    }

    /** What explain mode (issue 20 §5) hears of each rule, in order, up to the first refusal. */
    public interface Listener {
        /** The rule's conditions did not all hold; it did nothing. */
        void skipped(String rule);

        /** The rule's conditions held and it changed {@code before} into {@code after} (possibly equal). */
        void applied(String rule, Map<String, Object> before, Map<String, Object> after);

        /** The rule's conditions held and it refuses with {@code refusal}, which is thrown next. */
        void refused(String rule, OAuthException refusal);
    }

    /** As {@link #apply(Facts, Map)}, telling {@code listener} (null: no one) what each rule did. */
    public Map<String, Object> apply(Facts facts, Map<String, Object> metadata, Listener listener) {
        Map<String, Object> current = metadata;
        for (Rule rule : rules) {
            if (!rule.holds(facts, current)) {
                if (listener != null) {
                    listener.skipped(rule.name());
                }
                continue;
            }
            Map<String, Object> before = current;
            try {
                current = rule.act(current);
            } catch (OAuthException e) {
                if (listener != null) {
                    listener.refused(rule.name(), e);
                }
                throw e;
            }
            if (listener != null) {
                listener.applied(rule.name(), before, current);
            }
        }
        return current;
    }

    // ------------------------------------------------------------------------------------------ model

    private record Condition(String subject, Operator operator, Object operand) {
        boolean holds(Facts facts, Map<String, Object> metadata) {
            return operator.test(value(facts, metadata), operand, subject.startsWith("certificate."));
        }

        private Object value(Facts facts, Map<String, Object> metadata) {
            if (subject.startsWith("metadata.")) {
                return metadata.get(subject.substring("metadata.".length()));
            }
            if (subject.startsWith("statement.")) {
                return facts.statementClaims().get(subject.substring("statement.".length()));
            }
            return switch (subject) {
                case "operation" -> facts.operation();
                case "registrant.kind" -> facts.registrantKind();
                case "registrant.client" -> facts.client();
                case "registrant.user" -> facts.user();
                case "certificate.subject" -> facts.certificateSubject();
                case "certificate.issuer" -> facts.certificateIssuer();
                default -> throw new IllegalStateException("compiled subject " + subject);
            };
        }
    }

    private record Rule(String name, List<Condition> when, OAuthError rejectWith, String message,
                        Map<String, Object> overrides, Map<String, Object> defaults, List<String> drops) {
        boolean holds(Facts facts, Map<String, Object> metadata) {
            return when.stream().allMatch(c -> c.holds(facts, metadata));
        }

        Map<String, Object> act(Map<String, Object> metadata) {
            if (rejectWith != null) {
                throw OAuthException.of(rejectWith, message);
            }
            Map<String, Object> out = new LinkedHashMap<>(metadata);
            out.putAll(overrides);
            defaults.forEach(out::putIfAbsent);
            drops.forEach(out::remove);
            return out;
        }
    }

    // ---------------------------------------------------------------------------------------- compile

    /**
     * Checks and compiles the rules as configured.
     *
     * @param specs {@code registration.rules}, as the YAML reads
     * @throws RuleException naming the key ({@code registration.rules[i]...}) and, in its message, the rule
     */
    public static RuleSet compile(List<Map<String, Object>> specs) {
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            rules.add(compile(i, specs.get(i), names));
        }
        return new RuleSet(rules);
    }

    private static Rule compile(int index, Map<String, Object> spec, Set<String> names) {
        String key = "registration.rules[" + index + "]";
        if (spec == null) {
            throw new Compiler(key, key).error(key, "is empty; a rule has a name, an optional when, and an action");
        }
        Object rawName = spec.get("name");
        String label = rawName instanceof String n && !n.isBlank() ? key + " ('" + n + "')" : key;
        Compiler c = new Compiler(key, label);
        if (!(rawName instanceof String name) || name.isBlank()) {
            throw c.error(key + ".name", "needs a name (a short text that says what the rule is for)");
        }
        if (!names.add(name)) {
            throw c.error(key + ".name", "has the name of an earlier rule; names must be distinct");
        }
        for (String k : spec.keySet()) {
            if (!RULE_KEYS.contains(k)) {
                throw c.error(key + "." + k, "has an unknown key or action '" + k
                        + "'; a rule has name, when, and either reject or any of default, override and drop");
            }
        }
        List<Condition> when = c.conditions(spec.get("when"));
        boolean changes = spec.containsKey("default") || spec.containsKey("override") || spec.containsKey("drop");
        if (spec.containsKey("reject")) {
            if (changes) {
                throw c.error(key + ".reject", "cannot be combined with default, override or drop in one rule");
            }
            Map<String, Object> reject = c.map(spec.get("reject"), key + ".reject", "a mapping with error and message");
            for (String k : reject.keySet()) {
                if (!Set.of("error", "message").contains(k)) {
                    throw c.error(key + ".reject." + k, "is not a key of reject; use error and message");
                }
            }
            Object error = reject.getOrDefault("error", "invalid_client_metadata");
            if (!(error instanceof String e) || !ERRORS.containsKey(e)) {
                throw c.error(key + ".reject.error", "'" + error + "' is not an RFC 7591 registration error; use one of "
                        + ERRORS.keySet().stream().sorted().toList());
            }
            if (!(reject.get("message") instanceof String message) || message.isBlank()) {
                throw c.error(key + ".reject.message", "needs a message to reject with: the error_description the client gets");
            }
            return new Rule(name, when, ERRORS.get(e), message, Map.of(), Map.of(), List.of());
        }
        if (!changes) {
            throw c.error(key, "has no action; give it reject, or any of default, override and drop");
        }
        Map<String, Object> overrides = c.members(spec.get("override"), key + ".override");
        Map<String, Object> defaults = c.members(spec.get("default"), key + ".default");
        List<String> drops = c.drops(spec.get("drop"), key + ".drop");
        Set<String> seen = new HashSet<>();
        for (String m : concat(overrides.keySet(), defaults.keySet(), drops)) {
            if (!seen.add(m)) {
                throw c.error(key, "changes '" + m + "' twice; default, override and drop of one rule must name different members");
            }
        }
        return new Rule(name, when, null, null, overrides, defaults, drops);
    }

    private static List<String> concat(Set<String> a, Set<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    /** Compiles the parts of one rule; errors name the rule. */
    private record Compiler(String key, String label) {

        RuleException error(String at, String message) {
            return new RuleException(at, "configuration key '" + at + "': rule " + label + " " + message);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(Object value, String at, String expected) {
            if (!(value instanceof Map<?, ?> m)) {
                throw error(at, "must be " + expected);
            }
            return (Map<String, Object>) m;
        }

        List<Condition> conditions(Object when) {
            if (when == null) {
                return List.of();
            }
            List<Condition> out = new ArrayList<>();
            map(when, key + ".when", "a mapping of what to test to how, e.g. metadata.application_type: {equals: native}")
                    .forEach((subject, test) -> out.addAll(condition(subject, test)));
            return out;
        }

        private List<Condition> condition(String subject, Object test) {
            String at = key + ".when." + subject;
            boolean known = FACTS.contains(subject)
                    || (subject.startsWith("metadata.") && subject.length() > "metadata.".length())
                    || (subject.startsWith("statement.") && subject.length() > "statement.".length());
            if (!known) {
                throw error(at, "tests '" + subject + "', which is not something a rule can test; use metadata.<member>, "
                        + "statement.<claim>, or one of " + FACTS);
            }
            if (test instanceof String word) {
                Operator op = Operator.of(word);
                if (op == Operator.PRESENT || op == Operator.ABSENT) {
                    return List.of(new Condition(subject, op, null));
                }
                throw error(at, "has the unknown test '" + word + "'; write present, absent, or a mapping of "
                        + Operator.withOperand() + " to a value");
            }
            Map<String, Object> ops = map(test, at, "present, absent, or a mapping of " + Operator.withOperand() + " to a value");
            if (ops.isEmpty()) {
                throw error(at, "has no test; write present, absent, or a mapping of " + Operator.withOperand() + " to a value");
            }
            List<Condition> out = new ArrayList<>();
            ops.forEach((name, operand) -> {
                Operator op = Operator.of(name);
                if (op == null || op == Operator.PRESENT || op == Operator.ABSENT) {
                    throw error(at + "." + name, "has the unknown operator '" + name + "'; use one of " + Operator.withOperand()
                            + " (present and absent are written alone: " + subject + ": present)");
                }
                Object compiled = operand(op, operand, at + "." + name);
                knownValues(subject, compiled, at + "." + name);
                out.add(new Condition(subject, op, compiled));
            });
            return out;
        }

        /** A misspelt kind or operation would make a rule that never fires, silently. */
        private void knownValues(String subject, Object operand, String at) {
            List<String> allowed = KNOWN_VALUES.get(subject);
            if (allowed == null || operand instanceof Pattern) {
                return;
            }
            for (Object v : operand instanceof List<?> l ? l : List.of(operand)) {
                if (!allowed.contains(String.valueOf(v))) {
                    throw error(at, "compares " + subject + " with '" + v + "', which it never is; it is one of " + allowed);
                }
            }
        }

        private Object operand(Operator op, Object operand, String at) {
            return switch (op) {
                case IN, NOT_IN -> {
                    if (!(operand instanceof List<?> list) || list.isEmpty() || list.stream().anyMatch(e -> !scalar(e))) {
                        throw error(at, "needs a non-empty list of values, e.g. [web, native]");
                    }
                    yield List.copyOf(list);
                }
                case MATCHES, NOT_MATCHES -> {
                    if (!(operand instanceof String regex)) {
                        throw error(at, "needs a regular expression (a string; the whole value must match it)");
                    }
                    try {
                        yield Pattern.compile(regex);
                    } catch (PatternSyntaxException e) {
                        throw error(at, "has an invalid regular expression: " + e.getDescription() + " near index " + e.getIndex()
                                + " of " + regex);
                    }
                }
                case CONTAINS, NOT_CONTAINS -> {
                    if (!scalar(operand)) {
                        throw error(at, "needs one value (a string, number or boolean)");
                    }
                    yield operand;
                }
                default -> {
                    if (operand == null || operand instanceof Map<?, ?>) {
                        throw error(at, "needs a value (a string, number, boolean or list)");
                    }
                    yield operand instanceof List<?> l ? List.copyOf(l) : operand;
                }
            };
        }

        private static boolean scalar(Object o) {
            return o instanceof String || o instanceof Number || o instanceof Boolean;
        }

        /** default / override: metadata members and their values, each read as the server reads a request's. */
        Map<String, Object> members(Object value, String at) {
            if (value == null) {
                return Map.of();
            }
            Map<String, Object> members = map(value, at, "a mapping of metadata members to values, e.g. {client_name: Partner app}");
            if (members.isEmpty()) {
                throw error(at, "names no member");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            members.forEach((member, v) -> {
                if (v == null) {
                    throw error(at + "." + member, "has no value; to remove a member use drop");
                }
                out.put(member, normalized(member, v, at + "." + member));
            });
            return Map.copyOf(out);
        }

        List<String> drops(Object value, String at) {
            if (value == null) {
                return List.of();
            }
            List<?> list = value instanceof String s ? List.of(s) : value instanceof List<?> l ? l : null;
            if (list == null || list.isEmpty() || list.stream().anyMatch(m -> !(m instanceof String))) {
                throw error(at, "must be a member name or a non-empty list of them, e.g. [logo_uri, tos_uri]");
            }
            List<String> out = new ArrayList<>();
            for (Object m : list) {
                knownMember((String) m, at);
                out.add((String) m);
            }
            return List.copyOf(out);
        }

        private void knownMember(String member, String at) {
            if (NOT_RULE_MEMBERS.contains(member)) {
                throw error(at, "may not change '" + member + "'");
            }
            String base = member.contains("#") ? member.substring(0, member.indexOf('#')) : member;
            if (!OIDCClientMetadata.getRegisteredParameterNames().contains(base)) {
                throw error(at, "names '" + member + "', which is not client metadata this server understands "
                        + "(RFC 7591 §2, OpenID Connect DCR 1.0 §2)");
            }
        }

        /** The value as the server stores it when a client sends it; a value of the wrong shape is refused now, not per request. */
        private Object normalized(String member, Object value, String at) {
            knownMember(member, at);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(member, value);
            try {
                Map<String, Object> read = OIDCClientMetadata.parse(Json.toJsonObject(one)).toJSONObject(false);
                Object out = read.get(member);
                if (out == null) {
                    throw error(at, "has a value this server does not read as " + member + ": " + value);
                }
                return out;
            } catch (ParseException | RuntimeException e) {
                if (e instanceof RuleException r) {
                    throw r;
                }
                throw error(at, "has an invalid value for " + member + ": " + Objects.requireNonNullElse(e.getMessage(), e.toString()));
            }
        }
    }
}
