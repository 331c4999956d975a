package io.registrar.metadata;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.registrar.config.ConfigLoader;
import io.registrar.config.RegistrarConfig;
import io.registrar.oauth.Vocabulary;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.policy.DefaultsPolicy;
import io.registrar.policy.Operation;
import io.registrar.policy.OverridesPolicy;
import io.registrar.policy.PolicyChain;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.Registrant;
import io.registrar.policy.RegistrationRequest;
import io.registrar.support.TestServer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.registrar.support.Refusals.onlyAsClientErrors;

/**
 * Issue 21 §1: an RFC 7591 registration body, fuzzed, through what RegistrationService does with it
 * before storing anything: parse (Json, MetadataJson), the default policies, validation. Built from the
 * default configuration as RegistrationModule builds it; jwks_uri fetchability is AddressGuard's own
 * test. Input: the body, tried as a client's and a user's registration and as an update. Seeds:
 * RegistrationJsonFuzzTestInputs/registrationBody.
 */
class RegistrationJsonFuzzTest {

    private static final RegistrarConfig.Registration REG =
            new ConfigLoader().load(List.of(TestServer.BASE), Map.of()).registration();
    private static final PolicyChain POLICIES = new PolicyChain(List.of(
            new DefaultsPolicy(REG.defaultScopes()),
            new OverridesPolicy(null, null, Set.copyOf(REG.allowedScopes()))));
    private static final MetadataValidator VALIDATOR = new MetadataValidator(new MetadataValidator.Capabilities(
            Vocabulary.of(true, Vocabulary.AUTH_METHODS), Set.copyOf(REG.allowedScopes()), false, true, uri -> null));
    private static final RegistrationRequest NO_REQUEST = RegistrationRequest.of(new ClientMetadata(Map.of()), Map.of());
    private static final PolicyContext[] CONTEXTS = {
            new PolicyContext(Operation.REGISTER, new Registrant(Registrant.Kind.CLIENT_AUTHENTICATES, "initial-client", null),
                    NO_REQUEST),
            new PolicyContext(Operation.REGISTER, new Registrant(Registrant.Kind.USER_AUTHENTICATES, "mobile", "alice"),
                    NO_REQUEST),
            new PolicyContext(Operation.UPDATE, new Registrant(Registrant.Kind.CLIENT_AUTHENTICATES, "initial-client", null),
                    NO_REQUEST),
    };

    @FuzzTest
    void registrationBody(byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8);
        for (PolicyContext context : CONTEXTS) {
            onlyAsClientErrors(() -> {
                ClientMetadata requested = MetadataJson.parse(Json.parseObject(body, OAuthError.INVALID_CLIENT_METADATA));
                VALIDATOR.validate(POLICIES.apply(context, requested));
            });
        }
    }
}
