package io.registrar.rules;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The declarative rules, as tables: each condition operator on each kind of value, each action, each invalid rule. */
class RuleSetTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static RuleSet compile(String yaml) {
        try {
            return RuleSet.compile(YAML.readValue(yaml, new TypeReference<List<Map<String, Object>>>() { }));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Map<String, Object> json(String yaml) {
        try {
            return yaml.isBlank() ? Map.of() : YAML.readValue(yaml, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A token registration by initial-client, no user, no certificate, with an Active org in its statement. */
    static final Facts TOKEN = new Facts("register", "client_authenticates", "initial-client", null, null, null,
            Map.of("org_status", "Active", "software_roles", List.of("AISP", "PISP"), "iat", 1700000000L));
    static final Facts USER_UPDATE = new Facts("update", "user_authenticates", "mobile-dcr-client", "alice", null, null, Map.of());
    static final Facts MTLS = new Facts("register", "mutual_tls", null, null, "CN=partner-app,O=Partner Ltd,C=GB",
            "CN=Directory Issuing CA,O=Directory", Map.of());

    static final String META = """
            {redirect_uris: ["https://app.partner.example/cb", "https://www.partner.example/cb"],
             grant_types: [authorization_code, refresh_token], scope: "openid api", application_type: web,
             client_name: Partner app, "client_name#fr": Appli partenaire, default_max_age: 3600,
             tls_client_certificate_bound_access_tokens: true}""";

    static Stream<Arguments> conditions() {
        return Stream.of(
                // present / absent
                Arguments.of("metadata.client_name: present", TOKEN, true),
                Arguments.of("metadata.logo_uri: present", TOKEN, false),
                Arguments.of("metadata.logo_uri: absent", TOKEN, true),
                Arguments.of("metadata.client_name#fr: present", TOKEN, true),
                Arguments.of("registrant.user: absent", TOKEN, true),
                Arguments.of("registrant.user: present", USER_UPDATE, true),
                Arguments.of("certificate.subject: present", TOKEN, false),
                // equals / notEquals: strings, numbers, booleans, whole lists; notEquals holds on absent
                Arguments.of("metadata.application_type: {equals: web}", TOKEN, true),
                Arguments.of("metadata.application_type: {equals: native}", TOKEN, false),
                Arguments.of("metadata.default_max_age: {equals: 3600}", TOKEN, true),
                Arguments.of("metadata.default_max_age: {equals: 3600.0}", TOKEN, true),
                Arguments.of("metadata.tls_client_certificate_bound_access_tokens: {equals: true}", TOKEN, true),
                Arguments.of("metadata.grant_types: {equals: [authorization_code, refresh_token]}", TOKEN, true),
                Arguments.of("metadata.grant_types: {equals: [refresh_token, authorization_code]}", TOKEN, false),
                Arguments.of("metadata.grant_types: {equals: authorization_code}", TOKEN, false),
                Arguments.of("statement.org_status: {notEquals: Active}", TOKEN, false),
                Arguments.of("statement.org_status: {notEquals: Active}", USER_UPDATE, true),
                Arguments.of("metadata.logo_uri: {equals: x}", TOKEN, false),
                // in / notIn: a scalar is one of; every element of a list is one of
                Arguments.of("metadata.application_type: {in: [web, native]}", TOKEN, true),
                Arguments.of("metadata.grant_types: {in: [authorization_code, refresh_token, client_credentials]}", TOKEN, true),
                Arguments.of("metadata.grant_types: {in: [authorization_code]}", TOKEN, false),
                Arguments.of("metadata.grant_types: {notIn: [authorization_code]}", TOKEN, true),
                Arguments.of("metadata.logo_uri: {in: [a]}", TOKEN, false),
                Arguments.of("metadata.logo_uri: {notIn: [a]}", TOKEN, true),
                // contains: list element, or scope token of a string
                Arguments.of("metadata.grant_types: {contains: refresh_token}", TOKEN, true),
                Arguments.of("metadata.grant_types: {contains: implicit}", TOKEN, false),
                Arguments.of("metadata.scope: {contains: api}", TOKEN, true),
                Arguments.of("metadata.scope: {contains: ap}", TOKEN, false),
                Arguments.of("statement.software_roles: {contains: PISP}", TOKEN, true),
                Arguments.of("statement.software_roles: {notContains: CBPII}", TOKEN, true),
                Arguments.of("statement.software_roles: {notContains: CBPII}", USER_UPDATE, true),
                // matches: whole value; every element of a list; numbers as text
                Arguments.of("metadata.redirect_uris: {matches: 'https://([a-z]+\\.)*partner\\.example/.*'}", TOKEN, true),
                Arguments.of("metadata.redirect_uris: {matches: 'https://app\\.partner\\.example/.*'}", TOKEN, false),
                Arguments.of("metadata.redirect_uris: {notMatches: 'https://app\\.partner\\.example/.*'}", TOKEN, true),
                Arguments.of("metadata.client_name: {matches: Partner}", TOKEN, false),
                Arguments.of("metadata.client_name: {matches: 'Partner.*'}", TOKEN, true),
                Arguments.of("metadata.default_max_age: {matches: '\\d{4}'}", TOKEN, true),
                Arguments.of("metadata.logo_uri: {notMatches: 'https://.*'}", TOKEN, true),
                // facts
                Arguments.of("operation: {equals: register}", TOKEN, true),
                Arguments.of("operation: {equals: update}", USER_UPDATE, true),
                Arguments.of("registrant.kind: {in: [client_authenticates, user_authenticates]}", USER_UPDATE, true),
                Arguments.of("registrant.kind: {equals: mutual_tls}", MTLS, true),
                Arguments.of("registrant.client: {equals: initial-client}", TOKEN, true),
                Arguments.of("registrant.client: absent", MTLS, true),
                Arguments.of("registrant.user: {equals: alice}", USER_UPDATE, true),
                // DNs by RFC 4514: spacing and case of attribute types aside
                Arguments.of("certificate.issuer: {equals: 'cn=Directory Issuing CA, o=Directory'}", MTLS, true),
                Arguments.of("certificate.issuer: {equals: 'CN=Other CA,O=Directory'}", MTLS, false),
                Arguments.of("certificate.subject: {in: ['CN=partner-app, O=Partner Ltd, C=GB', 'CN=x']}", MTLS, true),
                Arguments.of("certificate.issuer: {notEquals: 'CN=Directory Issuing CA,O=Directory'}", TOKEN, true),
                // all of: every condition must hold, several operators on one value too
                Arguments.of("{registrant.kind: {equals: client_authenticates}, metadata.application_type: {equals: web}}", TOKEN, true),
                Arguments.of("{registrant.kind: {equals: client_authenticates}, metadata.application_type: {equals: native}}", TOKEN, false),
                Arguments.of("metadata.scope: {contains: openid, notContains: email}", TOKEN, true),
                Arguments.of("metadata.scope: {contains: openid, notContains: api}", TOKEN, false));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("conditions")
    void conditions(String when, Facts facts, boolean fires) {
        RuleSet rules = compile("- name: probe\n  when: " + (when.startsWith("{") ? when : "{" + when + "}")
                + "\n  override: {client_uri: 'https://fired.example'}\n");
        Map<String, Object> out = rules.apply(facts, json(META));
        assertEquals(fires, "https://fired.example".equals(out.get("client_uri")), when);
    }

    static Stream<Arguments> actions() {
        return Stream.of(
                // override replaces; default only fills what is absent; drop removes
                Arguments.of("- {name: a, override: {client_name: Forced, token_endpoint_auth_method: private_key_jwt}}",
                        "{client_name: Mine}", "{client_name: Forced, token_endpoint_auth_method: private_key_jwt}"),
                Arguments.of("- {name: a, default: {client_name: Default}}", "{client_name: Mine}", "{client_name: Mine}"),
                Arguments.of("- {name: a, default: {client_name: Default}}", "{}", "{client_name: Default}"),
                Arguments.of("- {name: a, drop: [logo_uri, tos_uri]}", "{logo_uri: 'https://l', tos_uri: 'https://t', client_name: c}",
                        "{client_name: c}"),
                Arguments.of("- {name: a, drop: logo_uri}", "{logo_uri: 'https://l'}", "{}"),
                // one rule, several changes: override, then default, then drop
                Arguments.of("- {name: a, override: {scope: api}, default: {client_name: D}, drop: [logo_uri]}",
                        "{scope: 'openid api', logo_uri: 'https://l'}", "{scope: api, client_name: D}"),
                // values are read as a client's: a list of redirect URIs, a boolean
                Arguments.of("- {name: a, override: {redirect_uris: ['https://a.example/cb'], tls_client_certificate_bound_access_tokens: true}}",
                        "{}", "{redirect_uris: ['https://a.example/cb'], tls_client_certificate_bound_access_tokens: true}"),
                // rules run in order, each on what the one before left
                Arguments.of("""
                        - {name: first, default: {application_type: native}}
                        - {name: second, when: {metadata.application_type: {equals: native}}, override: {client_name: Native}}
                        """, "{}", "{application_type: native, client_name: Native}"),
                Arguments.of("""
                        - {name: first, drop: [client_name]}
                        - {name: second, when: {metadata.client_name: present}, override: {client_uri: 'https://x.example'}}
                        """, "{client_name: c}", "{}"),
                // a rule whose condition fails changes nothing
                Arguments.of("- {name: a, when: {metadata.client_name: absent}, override: {client_name: X}}", "{client_name: c}",
                        "{client_name: c}"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("actions")
    void actions(String rules, String in, String expected) {
        assertEquals(json(expected), compile(rules).apply(TOKEN, json(in)));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("- {name: a, reject: {message: No.}}", OAuthError.INVALID_CLIENT_METADATA, "No."),
                Arguments.of("- {name: a, reject: {error: invalid_redirect_uri, message: Bad URI}}", OAuthError.INVALID_REDIRECT_URI, "Bad URI"),
                Arguments.of("- {name: a, when: {statement.org_status: {notEquals: Active}}, reject: {error: unapproved_software_statement, message: Inactive}}\n"
                        + "- {name: b, reject: {error: invalid_software_statement, message: Always}}",
                        OAuthError.INVALID_SOFTWARE_STATEMENT, "Always"),
                // the first refusing rule decides; later ones are not reached
                Arguments.of("- {name: a, reject: {error: unapproved_software_statement, message: First}}\n"
                        + "- {name: b, reject: {message: Second}}", OAuthError.UNAPPROVED_SOFTWARE_STATEMENT, "First"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusals(String rules, OAuthError error, String message) {
        OAuthException e = assertThrows(OAuthException.class, () -> compile(rules).apply(TOKEN, json(META)));
        assertEquals(error, e.error());
        assertEquals(message, e.description());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("- {when: {metadata.a: present}, drop: [logo_uri]}", "registration.rules[0].name", "needs a name"),
                Arguments.of("- {name: a, drop: [logo_uri]}\n- {name: a, drop: [tos_uri]}", "registration.rules[1].name", "('a') has the name of an earlier rule"),
                Arguments.of("- {name: a}", "registration.rules[0]", "('a') has no action"),
                Arguments.of("- {name: a, frobnicate: {x: 1}}", "registration.rules[0].frobnicate", "('a') has an unknown key or action 'frobnicate'"),
                Arguments.of("- {name: a, when: {metadata.x: {like: y}}, drop: [logo_uri]}", "registration.rules[0].when.metadata.x.like", "unknown operator 'like'"),
                Arguments.of("- {name: a, when: {metadata.x: {present: true}}, drop: [logo_uri]}", "registration.rules[0].when.metadata.x.present", "unknown operator 'present'"),
                Arguments.of("- {name: a, when: {metadata.x: maybe}, drop: [logo_uri]}", "registration.rules[0].when.metadata.x", "unknown test 'maybe'"),
                Arguments.of("- {name: a, when: {metadata.x: {}}, drop: [logo_uri]}", "registration.rules[0].when.metadata.x", "has no test"),
                Arguments.of("- {name: a, when: {header.x: present}, drop: [logo_uri]}", "registration.rules[0].when.header.x", "not something a rule can test"),
                Arguments.of("- {name: a, when: {metadata.: present}, drop: [logo_uri]}", "registration.rules[0].when.metadata.", "not something a rule can test"),
                Arguments.of("- {name: a, when: [x], drop: [logo_uri]}", "registration.rules[0].when", "must be a mapping"),
                Arguments.of("- {name: a, when: {metadata.x: {matches: '(unclosed'}}, drop: [logo_uri]}", "registration.rules[0].when.metadata.x.matches", "invalid regular expression"),
                Arguments.of("- {name: a, when: {metadata.x: {matches: [a]}}, drop: [logo_uri]}", "registration.rules[0].when.metadata.x.matches", "needs a regular expression"),
                Arguments.of("- {name: a, when: {metadata.x: {in: []}}, drop: [logo_uri]}", "registration.rules[0].when.metadata.x.in", "non-empty list"),
                Arguments.of("- {name: a, when: {metadata.x: {in: web}}, drop: [logo_uri]}", "registration.rules[0].when.metadata.x.in", "non-empty list"),
                Arguments.of("- {name: a, when: {metadata.x: {contains: [a, b]}}, drop: [logo_uri]}", "registration.rules[0].when.metadata.x.contains", "needs one value"),
                Arguments.of("- {name: a, when: {metadata.x: {equals: {a: b}}}, drop: [logo_uri]}", "registration.rules[0].when.metadata.x.equals", "needs a value"),
                Arguments.of("- {name: a, when: {registrant.kind: {equals: mtls}}, drop: [logo_uri]}", "registration.rules[0].when.registrant.kind.equals", "which it never is"),
                Arguments.of("- {name: a, when: {operation: {in: [register, delete]}}, drop: [logo_uri]}", "registration.rules[0].when.operation.in", "'delete'"),
                Arguments.of("- {name: a, reject: {error: access_denied, message: No}}", "registration.rules[0].reject.error", "'access_denied' is not an RFC 7591 registration error"),
                Arguments.of("- {name: a, reject: {error: invalid_client_metadata}}", "registration.rules[0].reject.message", "needs a message"),
                Arguments.of("- {name: a, reject: {message: ' '}}", "registration.rules[0].reject.message", "needs a message"),
                Arguments.of("- {name: a, reject: {message: No, status: 403}}", "registration.rules[0].reject.status", "is not a key of reject"),
                Arguments.of("- {name: a, reject: No}", "registration.rules[0].reject", "must be a mapping with error and message"),
                Arguments.of("- {name: a, reject: {message: No}, drop: [logo_uri]}", "registration.rules[0].reject", "cannot be combined"),
                Arguments.of("- {name: a, override: {client_id: mine}}", "registration.rules[0].override.client_id", "not client metadata this server understands"),
                Arguments.of("- {name: a, override: {registration_access_token: x}}", "registration.rules[0].override.registration_access_token", "not client metadata"),
                Arguments.of("- {name: a, default: {colour: blue}}", "registration.rules[0].default.colour", "not client metadata"),
                Arguments.of("- {name: a, override: {software_statement: x}}", "registration.rules[0].override.software_statement", "may not change 'software_statement'"),
                Arguments.of("- {name: a, drop: [client_secret]}", "registration.rules[0].drop", "'client_secret', which is not client metadata"),
                Arguments.of("- {name: a, drop: []}", "registration.rules[0].drop", "non-empty list"),
                Arguments.of("- {name: a, override: {redirect_uris: 'https://a.example/cb'}}", "registration.rules[0].override.redirect_uris", "invalid value for redirect_uris"),
                Arguments.of("- {name: a, override: {scope: [openid, api]}}", "registration.rules[0].override.scope", "invalid value for scope"),
                Arguments.of("- {name: a, override: {client_name: }}", "registration.rules[0].override.client_name", "has no value; to remove a member use drop"),
                Arguments.of("- {name: a, override: {client_name: X}, drop: [client_name]}", "registration.rules[0]", "changes 'client_name' twice"),
                Arguments.of("- {name: ok, drop: [logo_uri]}\n- ", "registration.rules[1]", "is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidRulesAreRefusedNamingRuleAndKey(String rules, String key, String message) {
        RuleException e = assertThrows(RuleException.class, () -> compile(rules));
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().contains("configuration key '" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        if (!key.endsWith(".name") && !e.getMessage().contains("is empty")) {
            assertTrue(e.getMessage().contains("rule " + key.replaceFirst("(registration\\.rules\\[\\d+]).*", "$1") + " ('"),
                    "names the rule by index and name: " + e.getMessage());
        }
    }

    @org.junit.jupiter.api.Test
    void noRulesChangeNothing() {
        Map<String, Object> in = json(META);
        assertTrue(RuleSet.compile(List.of()).isEmpty());
        assertEquals(in, RuleSet.compile(List.of()).apply(TOKEN, in));
    }
}
