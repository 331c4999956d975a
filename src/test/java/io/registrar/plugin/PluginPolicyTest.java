package io.registrar.plugin;

import io.registrar.crypto.CertificateIdentity;
import io.registrar.metadata.ClientMetadata;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.Operation;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.Registrant;
import io.registrar.policy.RegistrationRequest;
import io.registrar.spi.RegistrationDecision;
import io.registrar.spi.RegistrationError;
import io.registrar.spi.RegistrationInput;
import io.registrar.spi.RegistrationPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The adapter holds plug-ins to the SPI's contract: their decisions applied, their bugs refused as invalid_client_metadata. */
class PluginPolicyTest {

    static final ClientMetadata IN = new ClientMetadata(Map.of("client_name", "Mine", "logo_uri", "https://l.example/l.png",
            "grant_types", List.of("client_credentials")));
    static final PolicyContext REGISTER = new PolicyContext(Operation.REGISTER,
            new Registrant(Registrant.Kind.CLIENT_AUTHENTICATES, "initial-client", "alice"),
            new RegistrationRequest(IN, Map.of("software_id", "s-1"), Map.of(), Map.of("x_custom", "v")));

    static ClientMetadata run(RegistrationPlugin plugin) {
        return new PluginPolicy(plugin).apply(REGISTER, IN);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.accept(), IN.document()),
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.accept().withDefault("client_name", "D").withDefault("client_uri", "https://c.example"),
                        Map.of("client_name", "Mine", "logo_uri", "https://l.example/l.png", "grant_types", List.of("client_credentials"),
                                "client_uri", "https://c.example")),
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.accept().withOverride("client_name", "Forced").drop("logo_uri"),
                        Map.of("client_name", "Forced", "grant_types", List.of("client_credentials"))),
                // changes apply in order: a drop then a default fills the gap it made
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.accept().drop("client_name").withDefault("client_name", "Again"),
                        Map.of("client_name", "Again", "logo_uri", "https://l.example/l.png", "grant_types", List.of("client_credentials"))));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void acceptedChangesAreApplied(RegistrationPlugin plugin, Map<String, Object> expected) {
        assertEquals(expected, run(plugin).document());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // the plug-in's own refusals, with its code and description
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.reject(RegistrationError.UNAPPROVED_SOFTWARE_STATEMENT, "No."),
                        OAuthError.UNAPPROVED_SOFTWARE_STATEMENT, "No."),
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.reject(RegistrationError.INVALID_REDIRECT_URI, "Bad URI"),
                        OAuthError.INVALID_REDIRECT_URI, "Bad URI"),
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.reject(RegistrationError.INVALID_SOFTWARE_STATEMENT, "Bad"),
                        OAuthError.INVALID_SOFTWARE_STATEMENT, "Bad"),
                // a value of the wrong shape is refused as a client's would be
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.accept().withOverride("redirect_uris", "https://a.example/cb"),
                        OAuthError.INVALID_CLIENT_METADATA, null),
                // the plug-in's bugs: never a 5xx, never skipped
                Arguments.of((RegistrationPlugin) in -> { throw new IllegalStateException("boom"); }, OAuthError.INVALID_CLIENT_METADATA,
                        PluginPolicy.FAILED),
                Arguments.of((RegistrationPlugin) in -> { throw new NoClassDefFoundError("com/missing/Lib"); }, OAuthError.INVALID_CLIENT_METADATA,
                        PluginPolicy.FAILED),
                Arguments.of((RegistrationPlugin) in -> null, OAuthError.INVALID_CLIENT_METADATA, PluginPolicy.FAILED),
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.accept().withOverride("client_id", "mine"),
                        OAuthError.INVALID_CLIENT_METADATA, PluginPolicy.FAILED),
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.accept().withOverride("registration_access_token", "x"),
                        OAuthError.INVALID_CLIENT_METADATA, PluginPolicy.FAILED),
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.accept().withDefault("client_secret", "x"),
                        OAuthError.INVALID_CLIENT_METADATA, PluginPolicy.FAILED),
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.accept().withOverride("software_statement", "x"),
                        OAuthError.INVALID_CLIENT_METADATA, PluginPolicy.FAILED),
                Arguments.of((RegistrationPlugin) in -> RegistrationDecision.accept().withOverride("colour", "blue"),
                        OAuthError.INVALID_CLIENT_METADATA, PluginPolicy.FAILED));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusalsAndPluginBugsAnswerRfcErrors(RegistrationPlugin plugin, OAuthError error, String description) {
        OAuthException e = assertThrows(OAuthException.class, () -> run(plugin));
        assertEquals(error, e.error());
        if (description != null) {
            assertEquals(description, e.description());
        }
    }

    @Test
    void thePluginSeesTheOperationRegistrantClaimsAndExtensions() {
        AtomicReference<RegistrationInput> seen = new AtomicReference<>();
        run(in -> {
            seen.set(in);
            return RegistrationDecision.accept();
        });
        RegistrationInput in = seen.get();
        assertEquals(RegistrationInput.Operation.REGISTER, in.operation());
        assertEquals(new RegistrationInput.Registrant("client_authenticates", Optional.of("initial-client"), Optional.of("alice"),
                Optional.empty()), in.registrant());
        assertEquals(IN.document(), in.metadata());
        assertEquals(Map.of("software_id", "s-1"), in.statementClaims());
        assertEquals(Map.of("x_custom", "v"), in.extensions());
        assertThrows(UnsupportedOperationException.class, () -> in.metadata().put("client_id", "x"), "immutable");

        RegistrationInput.Registrant mtls = PluginPolicy.registrant(new Registrant(Registrant.Kind.MUTUAL_TLS, "CN=p", null,
                new CertificateIdentity("CN=p", "CN=CA", "thumb")));
        assertEquals(new RegistrationInput.Registrant("mutual_tls", Optional.empty(), Optional.empty(),
                Optional.of(new RegistrationInput.Certificate("CN=p", "CN=CA", "thumb"))), mtls);
    }
}
