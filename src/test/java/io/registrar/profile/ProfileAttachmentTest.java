package io.registrar.profile;

import io.registrar.config.ConfigException;
import io.registrar.config.ConfigLoader;
import io.registrar.config.RegistrarConfig;
import io.registrar.crypto.CertificateIdentity;
import io.registrar.modules.RegistrationModule;
import io.registrar.policy.Registrant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which profile each way of registering follows (issue 20 §6), and the start-up errors that name the
 * key of a profile that does not exist or an issuer that is not a DN.
 */
class ProfileAttachmentTest {

    static final String BASE = """
            server:
              tls:
                mode: "off"
            registration:
              profile: fapi2
              mutualTls:
                profiles:
                  - {issuer: "CN=Directory Issuing CA,O=Directory,C=BR", profile: brazil-openfinance}
            staticClients:
              - {clientId: cdr-initial, clientSecret: cdr-initial-secret-0123, authMethod: client_secret_basic, scopes: [dcr],
                 dcrToken: {profile: au-cdr}}
              - {clientId: plain-initial, clientSecret: plain-initial-secret-0123, authMethod: client_secret_basic, scopes: [dcr]}
            """;

    private static RegistrarConfig load(String yaml) throws Exception {
        Path file = Files.createTempFile("profiles", ".yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().load(false, file, Map.of());
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "client_authenticates, cdr-initial, '', au-cdr",
            "client_authenticates, plain-initial, '', fapi2",
            "user_authenticates, mobile-dcr-client, '', fapi2",
            "mutual_tls, 'CN=tpp', 'c=BR, o=Directory, cn=Directory Issuing CA', brazil-openfinance",
            "mutual_tls, 'CN=tpp', 'CN=Other CA', fapi2",
    })
    void theMostSpecificAttachmentWins(String kind, String subject, String issuer, String expected) throws Exception {
        ProfileSelector selector = RegistrationModule.profileSelector(load(BASE), Profiles.builtIn());
        CertificateIdentity cert = issuer.isEmpty() ? null : new CertificateIdentity(subject, issuer, "x5t");
        Registrant registrant = new Registrant(Registrant.Kind.fromDb(kind), subject, null, cert);
        assertEquals(expected, selector.select(registrant).map(Profile::name).orElse("none"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "profile: fapi3|registration.profile",
            "mutualTls:\\n    profiles:\\n      - {issuer: 'CN=x', profile: cdr}|registration.mutualTls.profiles[0].profile",
            "mutualTls:\\n    profiles:\\n      - {issuer: 'not a dn', profile: fapi2}|registration.mutualTls.profiles[0].issuer",
    })
    void anUnknownProfileOrIssuerStopsTheStartNamingTheKey(String registration, String key) throws Exception {
        RegistrarConfig config = load("server:\n  tls:\n    mode: \"off\"\nregistration:\n  " + registration.replace("\\n", "\n") + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> RegistrationModule.profileSelector(config, Profiles.builtIn()));
        assertTrue(e.getMessage().contains("'" + key), e.getMessage());
    }
}
