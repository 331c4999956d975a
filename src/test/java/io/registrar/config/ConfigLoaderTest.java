package io.registrar.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
    @CsvSource(delimiter = '|', value = {
            "server:\\n  prot: 1                                         | 'server.prot'",
            "server:\\n  port: http                                      | 'server.port'",
            "server:\\n  port: 70000                                     | 'server.port'",
            "server:\\n  tls:\\n    mode: maybe                          | 'server.tls.mode'",
            "management:\\n  tokenLifetime: soon                         | 'management.tokenLifetime'",
            "management:\\n  tokenLifetime: 400d                         | 'management.deleteTokenLifetime'",
            "registration:\\n  initialTokenUses: -1                      | 'registration.initialTokenUses'",
            "registration:\\n  allowedScopes: [api, dcr]                 | 'registration.allowedScopes'",
            "registration:\\n  defaultScope: openid dcrm                 | 'registration.defaultScope'",
            "registration:\\n  authMethods: [private_key_jwtt]           | 'registration.authMethods'",
            "registration:\\n  authorization: [open]                     | 'registration.authorization'",
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
            "server:\\n  mtls:\\n    enabled: true\\n    port: 0\\n    proxyHeader: X-Cert | 'server.trustedProxies'",
            "server:\\n  mtls:\\n    enabled: true\\n    port: 0\\n    trustedIssuers: [/no/such.pem] | 'server.mtls.trustedIssuers[0]'",
            "security:\\n  secretEncryptionKey: c2hvcnQ=                 | 'security.secretEncryptionKey'",
            "outbound:\\n  maxResponseBytes: 10                          | 'outbound.maxResponseBytes'",
            "clientAuth:\\n  maxAssertionLifetime: 0s                     | 'clientAuth.maxAssertionLifetime'",
            "tokens:\\n  authorizationCodeLifetime: 1h                 | 'tokens.authorizationCodeLifetime'",
            "login:\\n  maxFailuresPerAccount: 0                      | 'login.maxFailuresPerAccount'",
            "users:\\n  - {username: a, password: short}               | 'users[0].password'",
            "users:\\n  - {username: a, password: long-enough}\\n  - {username: A, password: long-enough} | 'users[1].username'",
            "templates:\\n  - {clientName: x}                             | 'templates[0].id'",
            "staticClients:\\n  - clientId: m\\n    authMethod: none\\n    grantTypes: [client_credentials] | 'staticClients[0].grantTypes'",
            "staticClients:\\n  - clientId: m\\n    authMethod: none\\n    grantTypes: [authorization_code] | 'staticClients[0].redirectUris'",
            "staticClients:\\n  - clientId: m\\n    authMethod: none\\n    grantTypes: [implicit] | 'staticClients[0].grantTypes'",
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
    }

    @ParameterizedTest
    @CsvSource({"28d, PT672H", "1h, PT1H", "30s, PT30S", "500ms, PT0.5S", "PT10M, PT10M"})
    void durations(String text, String iso) {
        assertEquals(Duration.parse(iso), ConfigLoader.parseDuration(text));
    }
}
