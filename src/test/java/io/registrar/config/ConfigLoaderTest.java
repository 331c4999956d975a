package io.registrar.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration: documented defaults, layering, environment overrides, and errors that name the key. */
class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader();
    /** The defaults ask for a production key store; these tests run without TLS. */
    private static final String NO_TLS = "server:\n  tls:\n    mode: off\n";

    private RegistrarConfig load(String yaml, Map<String, String> env) {
        return loader.load(List.of(NO_TLS, yaml), env);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RegistrarConfig c = load("", Map.of());
        assertEquals(Duration.ofDays(28), c.management().tokenLifetime());
        assertEquals(Duration.ofDays(365), c.management().deleteTokenLifetime());
        assertTrue(c.management().rotate());
        assertEquals(Duration.ZERO, c.management().rotationLeeway(), "no leeway unless asked for: a replaced token is dead at once");
        assertEquals(Duration.ZERO, c.tokens().refreshTokenRotationLeeway());
        assertEquals(1, c.registration().initialTokenUses());
        assertEquals(8443, c.server().port());
        assertFalse(c.server().tls().enabled(), "YAML 1.1 reads off as false; both mean off");
    }

    @Test
    void environmentOverridesFilesAndKeepsTypes() {
        RegistrarConfig c = load("server:\n  port: 9000\n", Map.of(
                "REGISTRAR_SERVER__PORT", "9443",
                "REGISTRAR_MANAGEMENT__ROTATE", "false",
                "REGISTRAR_STORAGE__JDBC_URL", "jdbc:postgresql://db/registrar",
                "REGISTRAR_REGISTRATION__ALLOWED_SCOPES", "[a, b]",
                "REGISTRAR_CONFIG", "/ignored/by/the/loader",
                "PATH", "/usr/bin"));
        assertEquals(9443, c.server().port());
        assertFalse(c.management().rotate());
        assertEquals("jdbc:postgresql://db/registrar", c.storage().jdbcUrl());
        assertEquals(List.of("a", "b"), c.registration().allowedScopes());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "server:\\n  prot: 1                                         | 'server.prot'",
            "server:\\n  port: http                                      | 'server.port'",
            "server:\\n  port: 70000                                     | 'server.port'",
            "server:\\n  tls:\\n    mode: maybe                          | 'server.tls.mode'",
            "server:\\n  tls:\\n    mode: pem                            | 'server.tls.certificatePath'",
            "server:\\n  tls:\\n    mode: pem\\n    certificatePath: /no/such.crt | 'server.tls.certificatePath'",
            "server:\\n  tls:\\n    privateKeyPath: /no/such.key          | 'server.tls.certificatePath'",
            "server:\\n  tls:\\n    reloadInterval: often                 | 'server.tls.reloadInterval'",
            "management:\\n  tokenLifetime: soon                         | 'management.tokenLifetime'",
            "management:\\n  tokenLifetime: 400d                         | 'management.deleteTokenLifetime'",
            "management:\\n  rotationLeeway: -1s                        | 'management.rotationLeeway'",
            "management:\\n  rotationLeeway: 28d                        | 'management.rotationLeeway'",
            "tokens:\\n  refreshTokenRotationLeeway: -1s            | 'tokens.refreshTokenRotationLeeway'",
            "tokens:\\n  refreshTokenRotationLeeway: 30d            | 'tokens.refreshTokenRotationLeeway'",
            "registration:\\n  initialTokenUses: -1                      | 'registration.initialTokenUses'",
            "registration:\\n  allowedScopes: [api, dcr]                 | 'registration.allowedScopes'",
            "registration:\\n  defaultScope: openid dcrm                 | 'registration.defaultScope'",
            "registration:\\n  authMethods: [private_key_jwtt]           | 'registration.authMethods'",
            "registration:\\n  authorization: [open]                     | 'registration.authorization'",
            "registration:\\n  authorization: [mutual_tls]               | 'registration.authorization' names mutual_tls",
            "server:\\n  mtls:\\n    enabled: true\\n    port: 0\\nregistration:\\n  authorization: [mutual_tls] | 'registration.mutualTls.trustedIssuers'",
            "registration:\\n  mutualTls:\\n    trustedIssuers: [/no/such.pem] | 'registration.mutualTls.trustedIssuers[0]'",
            "management:\\n  certificateBinding: sometimes            | 'management.certificateBinding'",
            "registration:\\n  softwareStatements:\\n    directories:\\n      - {issuer: https://d.example, jwksUri: https://d.example/jwks, algorithms: [HS256]} | 'registration.softwareStatements.directories[0].algorithms'",
            "registration:\\n  softwareStatements:\\n    directories:\\n      - {issuer: https://d.example, jwksUri: https://d.example/jwks, algorithms: [none]} | 'registration.softwareStatements.directories[0].algorithms'",
            "registration:\\n  softwareStatements:\\n    directories:\\n      - {issuer: https://d.example}                | 'registration.softwareStatements.directories[0].jwksUri'",
            "registration:\\n  softwareStatements:\\n    directories:\\n      - {jwksUri: https://d.example/jwks}          | 'registration.softwareStatements.directories[0].issuer'",
            "registration:\\n  softwareStatements:\\n    directories:\\n      - {issuer: a, jwksUri: http://d.example/jwks} | 'registration.softwareStatements.directories[0].jwksUri'",
            "registration:\\n  softwareStatements:\\n    directories:\\n      - {issuer: a, jwks: {keys: [{kty: oct, k: AAAA}]}} | 'registration.softwareStatements.directories[0].jwks'",
            "registration:\\n  softwareStatements:\\n    directories:\\n      - {issuer: a, jwksUri: https://d.example/j}\\n      - {issuer: a, jwksUri: https://d.example/k} | 'registration.softwareStatements.directories[1].issuer'",
            "registration:\\n  softwareStatements:\\n    directories:\\n      - {issuer: a, jwksUri: https://d.example/j, maxAge: -1s} | 'registration.softwareStatements.directories[0].maxAge'",
            "registration:\\n  softwareStatements:\\n    directories:\\n      - {issuer: a, jwksUri: https://d.example/j, trustStore: /no/such.pem} | 'registration.softwareStatements.directories[0].trustStore'",
            "registration:\\n  softwareStatements:\\n    directories:\\n      - {issuer: a, jwksUri: https://d.example/j, roleScopes: {AISP: [dcrm]}} | 'registration.softwareStatements.directories[0].roleScopes.AISP'",
            "registration:\\n  softwareStatements:\\n    byWay:\\n      client_authenticates: {statements: required} | 'registration.softwareStatements.byWay.client_authenticates'",
            "registration:\\n  softwareStatements:\\n    byWay:\\n      client_authenticates: {statements: maybe} | 'registration.softwareStatements.byWay.client_authenticates.statements'",
            "registration:\\n  softwareStatements:\\n    byWay:\\n      open: {statements: optional} | 'registration.softwareStatements.byWay'",
            "registration:\\n  softwareStatements:\\n    signedRequestMaxLifetime: 0s | 'registration.softwareStatements.signedRequestMaxLifetime'",
            "issuer: http://example.com\\nserver:\\n  tls:\\n    mode: self-signed | 'issuer'",
            "issuer: https://example.com/realm                          | 'issuer'",
            "storage:\\n  jdbcUrl: jdbc:mysql://x/y                      | 'storage.jdbcUrl'",
            "storage:\\n  maxPoolSize: 1                                 | 'storage.maxPoolSize'",
            "storage:\\n  accessTokenCommit: eventually                  | 'storage.accessTokenCommit'",
            "storage:\\n  queryTimeout: 500ms                           | 'storage.queryTimeout'",
            "security:\\n  hashingKey: c2hvcnQ=                          | 'security.hashingKey'",
            "staticClients:\\n  - clientId: a\\n    clientSecret: short\\n    authMethod: client_secret_basic | 'staticClients[0].clientSecret'",
            "staticClients:\\n  - clientId: a\\n    clientSecret: long-enough-secret-123\\n    authMethod: private_key_jwts | 'staticClients[0].authMethod'",
            "staticClients:\\n  - clientId: a\\n    authMethod: private_key_jwt | 'staticClients[0].jwks'",
            "staticClients:\\n  - clientId: a\\n    clientSecret: sixteen-chars-ok\\n    authMethod: client_secret_jwt | 'staticClients[0].clientSecret'",
            "staticClients:\\n  - clientId: a\\n    authMethod: tls_client_auth\\n    tlsClientAuthSanDns: a.example | 'staticClients[0].authMethod'",
            "server:\\n  mtls:\\n    enabled: true                               | 'server.mtls.port'",
            "server:\\n  trustedProxies: [proxy.example]            | 'server.trustedProxies[0]'",
            "server:\\n  connections:\\n    maxPerAddress: -1          | 'server.connections.maxPerAddress'",
            "server:\\n  mtls:\\n    enabled: true\\n    port: 0\\n    proxyHeader: X-Cert | 'server.trustedProxies'",
            "server:\\n  mtls:\\n    enabled: true\\n    port: 0\\n    trustedIssuers: [/no/such.pem] | 'server.mtls.trustedIssuers[0]'",
            "security:\\n  secretEncryptionKey: c2hvcnQ=                 | 'security.secretEncryptionKey'",
            "outbound:\\n  maxResponseBytes: 10                          | 'outbound.maxResponseBytes'",
            "outbound:\\n  allowedAddresses: [10.1.2.3, example.com]    | 'outbound.allowedAddresses[1]'",
            "outbound:\\n  deniedAddresses: [10.0.0.0/33]               | 'outbound.deniedAddresses[0]'",
            "outbound:\\n  trustStore: /no/such.pem                     | 'outbound.trustStore'",
            "outbound:\\n  trustStoreMode: replace                      | 'outbound.trustStoreMode'",
            "outbound:\\n  trustStoreMode: merge                        | 'outbound.trustStoreMode'",
            "clientAuth:\\n  maxAssertionLifetime: 0s                     | 'clientAuth.maxAssertionLifetime'",
            "tokens:\\n  authorizationCodeLifetime: 1h                 | 'tokens.authorizationCodeLifetime'",
            "par:\\n  lifetime: 10m                                 | 'par.lifetime'",
            "par:\\n  lifetime: 0s                                  | 'par.lifetime'",
            "staticClients:\\n  - clientId: a\\n    clientSecret: long-enough-secret-123\\n    authMethod: client_secret_basic\\n    requirePushedAuthorizationRequests: true | 'staticClients[0].requirePushedAuthorizationRequests'",
            "login:\\n  maxFailuresPerAccount: 5                      | 'login.maxFailuresPerAccount'",
            "login:\\n  throttling:\\n    freeFailures: 0             | 'login.throttling.freeFailures'",
            "login:\\n  throttling:\\n    maxDelay: 10h               | 'login.throttling.window'",
            "login:\\n  throttling:\\n    maxFailuresPerWindow: 2     | 'login.throttling.maxFailuresPerWindow'",
            "clientAuth:\\n  secretThrottling:\\n    firstDelay: 0s        | 'clientAuth.secretThrottling.firstDelay'",
            "clientAuth:\\n  secretThrottling:\\n    maxDelay: 500ms       | 'clientAuth.secretThrottling.maxDelay'",
            "users:\\n  - {username: a, password: short}               | 'users[0].password'",
            "users:\\n  - {username: a, password: long-enough}\\n  - {username: A, password: long-enough} | 'users[1].username'",
            "templates:\\n  - {clientName: x}                             | 'templates[0].id'",
            "staticClients:\\n  - clientId: m\\n    authMethod: none\\n    grantTypes: [client_credentials] | 'staticClients[0].grantTypes'",
            "staticClients:\\n  - clientId: m\\n    authMethod: none\\n    grantTypes: [authorization_code] | 'staticClients[0].redirectUris'",
            "staticClients:\\n  - clientId: m\\n    authMethod: none\\n    grantTypes: [implicit] | 'staticClients[0].grantTypes'",
            "staticClients:\\n  - {clientId: a, clientSecret: sixteen-chars-ok, authMethod: client_secret_basic, scopes: [api], dcrToken: {uses: 2}} | 'staticClients[0].dcrToken'",
            "staticClients:\\n  - {clientId: a, clientSecret: sixteen-chars-ok, authMethod: client_secret_basic, scopes: [dcr], dcrToken: {uses: -1}} | 'staticClients[0].dcrToken.uses'",
            "staticClients:\\n  - {clientId: a, clientSecret: sixteen-chars-ok, authMethod: client_secret_basic, scopes: [dcr], dcrToken: {lifetime: 0s}} | 'staticClients[0].dcrToken.lifetime'",
            "staticClients:\\n  - {clientId: a, clientSecret: sixteen-chars-ok, authMethod: client_secret_basic, scopes: [dcr], dcrToken: {templates: [t, t]}} | 'staticClients[0].dcrToken.templates'",
            "registration:\\n  softwareIdSelectsTemplate: false\\nstaticClients:\\n  - {clientId: a, clientSecret: sixteen-chars-ok, authMethod: client_secret_basic, scopes: [dcr], dcrToken: {templates: [t]}} | 'staticClients[0].dcrToken.templates'",
            "staticClients:\\n  - {clientId: a, clientSecret: sixteen-chars-ok, authMethod: client_secret_basic, scopes: [dcr], dcrToken: {usage: 2}} | 'staticClients[0].dcrToken.usage'",
    })
    void invalidConfigurationNamesTheKey(String yaml, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml.replace("\\n", "\n"), Map.of()));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void productionDefaultsRequireAKeyStore() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(List.of(), Map.of()));
        assertTrue(e.getMessage().contains("server.tls.keystorePath"), e.getMessage());
    }

    @Test
    void unknownEnvironmentKeyIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("", Map.of("REGISTRAR_SERVER__PROT", "1")));
        assertTrue(e.getMessage().contains("server.prot"), e.getMessage());
        assertTrue(e.getMessage().startsWith("environment variable REGISTRAR_SERVER__PROT "), e.getMessage());
    }

    @Test
    void missingConfigurationFileSaysItIsMissing() {
        Path missing = Path.of("/no/such/dir/registrar.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(false, missing, Map.of()));
        assertEquals("configuration file " + missing + " does not exist", e.getMessage());
    }

    /** A file error names the file, the line and column of the offending key, and the key. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "server:\\n  prot: 1                        | line 2, column 3 | unknown configuration key 'server.prot'",
            "server:\\n  port: http                     | line 2, column 3 | 'server.port' has an invalid value 'http'",
            "server:\\n  port: 70000                    | line 2, column 3 | 'server.port' must be between 0 and 65535",
            "management:\\n  tokenLifetime: soon        | line 2, column 3 | 'soon' is not a duration",
            "staticClients:\\n  - clientId: a\\n    clientSecret: short\\n    authMethod: client_secret_basic"
                    + "                                  | line 3, column 5 | 'staticClients[0].clientSecret'",
            "staticClients:\\n  - {clientId: a, clientSecret: sixteen-chars-ok, authMethod: client_secret_basic}\\n  - clientId: b\\n    authMethod: private_key_jwt"
                    + "                                  | line 3, column 5 | 'staticClients[1].jwks'",
            "server:\\n  port: [1, 2\\n              | line 3, column 1 | not valid YAML: expected ',' or ']'",
            "server:\\n\\tport: 1                      | line 2, column 1 | not valid YAML: found character '\\t(TAB)'",
            "- a\\n- b                                  | ``               | must be a YAML mapping",
    })
    void fileErrorsNameTheFileAndLine(String yaml, String line, String message, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("registrar.yaml");
        Files.writeString(file, yaml.replace("\\t", "\t").replace("\\n", "\n"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load(false, file, Map.of("REGISTRAR_SERVER__TLS__MODE", "off")));
        assertTrue(e.getMessage().startsWith(file + (line.isEmpty() ? "" : ", " + line)), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** The environment: only documented keys, and an error names the variable, not a file. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "REGISTRAR_SERVER__PROT             | 1      | environment variable REGISTRAR_SERVER__PROT names no configuration key: 'server.prot'",
            "REGISTRAR_COLOUR                   | blue   | environment variable REGISTRAR_COLOUR names no configuration key: 'colour'",
            "REGISTRAR_SERVER                   | 1      | environment variable REGISTRAR_SERVER: configuration key 'server' has the wrong type",
            "REGISTRAR_SERVER__PORT             | http   | environment variable REGISTRAR_SERVER__PORT: configuration key 'server.port' has an invalid value 'http'",
            "REGISTRAR_SERVER__PORT             | 70000  | environment variable REGISTRAR_SERVER__PORT: configuration key 'server.port' must be",
            "REGISTRAR_SERVER__PORT__NUMBER     | 1      | 'server.port' has no keys below it; set REGISTRAR_SERVER__PORT",
            "REGISTRAR_STATIC_CLIENTS__0__CLIENT_ID | a  | 'staticClients' has no keys below it; set REGISTRAR_STATIC_CLIENTS",
            "REGISTRAR_SERVER____PORT           | 1      | environment variable REGISTRAR_SERVER____PORT names no configuration key",
    })
    void environmentErrorsNameTheVariable(String name, String value, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> load("server:\n  port: 9000\n", Map.of(name, value)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("configuration layer"), e.getMessage());
    }

    /**
     * Every key of the configuration sections is in registrar-defaults.yaml (the reference), so every
     * one can be set from the environment. Lists of entries (staticClients, users, templates) are
     * documented by example there and set whole.
     */
    @Test
    void everySectionKeyIsDocumentedInTheDefaults() throws Exception {
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        try (var in = ConfigLoader.class.getClassLoader().getResourceAsStream(ConfigLoader.DEFAULTS_RESOURCE)) {
            List<String> missing = new java.util.ArrayList<>();
            undocumented(RegistrarConfig.class, yaml.readTree(in), "", missing);
            assertEquals(List.of(), missing);
        }
    }

    private static void undocumented(Class<?> record, com.fasterxml.jackson.databind.JsonNode documented, String at, List<String> missing) {
        for (var component : record.getRecordComponents()) {
            String key = at + component.getName();
            com.fasterxml.jackson.databind.JsonNode node = documented.get(component.getName());
            if (node == null) {
                missing.add(key);
            } else if (component.getType().isRecord()) {
                undocumented(component.getType(), node, key + ".", missing);
            }
        }
    }

    @Test
    void launcherVariablesAreNotKeys() {
        RegistrarConfig c = load("", Map.of("REGISTRAR_JAVA_OPTS", "-Xmx1g", "REGISTRAR_CONFIG", "/etc/registrar.yaml",
                "REGISTRAR_LOG_LEVEL", "DEBUG", "REGISTRAR_E2E", "required", "REGISTRAR_SERVER__MAX_REQUEST_BYTES", "2048"));
        assertEquals(2048, c.server().maxRequestBytes());
    }

    @ParameterizedTest
    @CsvSource({"28d, PT672H", "1h, PT1H", "30s, PT30S", "500ms, PT0.5S", "PT10M, PT10M"})
    void durations(String text, String iso) {
        assertEquals(Duration.parse(iso), ConfigLoader.parseDuration(text));
    }
}
