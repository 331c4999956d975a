package io.registrar.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * registration.rules and plugins.directory through the loader: a bad rule stops the start with the
 * file and line, the rule's index and name, and the key (the rule engine's own table of invalid rules
 * is io.registrar.rules.RuleSetTest).
 */
class PreProcessingConfigTest {

    private static final String NO_TLS = "server:\n  tls:\n    mode: off\n";

    private static RegistrarConfig load(String yaml, Map<String, String> env) {
        return new ConfigLoader().load(List.of(NO_TLS, yaml), env);
    }

    @Test
    void rulesAndPluginsAreOffByDefault() {
        RegistrarConfig c = load("", Map.of());
        assertEquals(List.of(), c.registration().rules());
        assertEquals("", c.plugins().directory());
    }

    @Test
    void rulesAreReadAsWritten() {
        RegistrarConfig c = load("""
                registration:
                  rules:
                    - name: inactive-organisations
                      when:
                        statement.org_status: {notEquals: Active}
                      reject: {error: unapproved_software_statement, message: Not active}
                    - name: no-logos
                      drop: [logo_uri]
                """, Map.of());
        assertEquals(2, c.registration().rules().size());
        assertEquals("no-logos", c.registration().rules().get(1).get("name"));
    }

    /** The line is the key's, or the rule's where the key is a dotted test (metadata.x) that has no pointer of its own. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "- name: first\\n  drop: [logo_uri]\\n- name: second\\n  reject: {error: access_denied, message: No}"
                    + " | line 6, column 16 | configuration key 'registration.rules[1].reject.error': rule registration.rules[1] ('second') "
                    + "'access_denied' is not an RFC 7591 registration error",
            "- name: only\\n  when:\\n    metadata.application_type: {is: native}\\n  drop: [logo_uri]"
                    + " | line 3, column 7 | configuration key 'registration.rules[0].when.metadata.application_type.is': rule "
                    + "registration.rules[0] ('only') has the unknown operator 'is'",
            "- name: only\\n  reject: {message: No}\\n  tell: someone"
                    + " | line 5, column 7 | configuration key 'registration.rules[0].tell': rule registration.rules[0] ('only') has an "
                    + "unknown key or action 'tell'",
            "- name: only\\n  when: {metadata.client_name: {matches: '[a-'}}\\n  reject: {message: No}"
                    + " | line 3, column 7 | 'registration.rules[0].when.metadata.client_name.matches': rule registration.rules[0] "
                    + "('only') has an invalid regular expression",
            "- name: only\\n  reject: {error: invalid_client_metadata}"
                    + " | line 3, column 7 | 'registration.rules[0].reject.message': rule registration.rules[0] ('only') needs a message",
    })
    void anInvalidRuleStopsTheStartNamingFileLineRuleAndKey(String rules, String where, String message) {
        // CsvSource trims each value, so the rules are written unindented and indented here.
        String yaml = "registration:\n  rules:\n" + rules.replace("\\n", "\n").indent(4);
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, Map.of()));
        assertTrue(e.getMessage().startsWith("configuration layer 2, " + where), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void rulesCanBeSetFromTheEnvironmentAsOneYamlList() {
        RegistrarConfig c = load("", Map.of("REGISTRAR_REGISTRATION__RULES", "[{name: no-logos, drop: [logo_uri]}]"));
        assertEquals(List.of(Map.of("name", "no-logos", "drop", List.of("logo_uri"))), c.registration().rules());
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("", Map.of("REGISTRAR_REGISTRATION__RULES", "[{name: x, drop: [colour]}]")));
        assertTrue(e.getMessage().startsWith("environment variable REGISTRAR_REGISTRATION__RULES: configuration key "
                + "'registration.rules[0].drop': rule registration.rules[0] ('x') names 'colour'"), e.getMessage());
    }

    @Test
    void aPluginFolderThatIsNotThereStopsTheStart(@TempDir Path dir) {
        assertEquals(dir.toString(), load("plugins:\n  directory: " + dir + "\n", Map.of()).plugins().directory());
        ConfigException e = assertThrows(ConfigException.class, () -> load("plugins:\n  directory: " + dir.resolve("nope") + "\n", Map.of()));
        assertTrue(e.getMessage().contains("configuration key 'plugins.directory' '" + dir.resolve("nope") + "' is not a directory"),
                e.getMessage());
    }
}
