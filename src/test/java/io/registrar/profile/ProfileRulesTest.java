package io.registrar.profile;

import io.registrar.crypto.CertificateIdentity;
import io.registrar.metadata.ClientMetadata;
import io.registrar.metadata.MetadataJson;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.DefaultsPolicy;
import io.registrar.policy.Operation;
import io.registrar.policy.PolicyContext;
import io.registrar.policy.Registrant;
import io.registrar.policy.RegistrationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each shipped profile's rules as a table (issue 20 §6, §8): a request as it arrives (metadata, the
 * verified statement's claims, whether it was signed and came with a certificate), run through the
 * defaults and the profile, and what comes out: the member the profile set, or the error it refused
 * with and the rule it named.
 */
class ProfileRulesTest {

    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    static final Profiles PROFILES = Profiles.builtIn();
    static final String JWKS_URI = "https://directory.example/org-1/software-1.jwks";
    static final Map<String, Object> STATEMENT = Map.of("iss", "directory", "iat", NOW.getEpochSecond() - 60,
            "software_id", "software-1", "software_jwks_uri", JWKS_URI,
            "software_redirect_uris", List.of("https://tpp.example/cb", "https://tpp.example/cb2"));
    static final CertificateIdentity CERT = new CertificateIdentity("CN=tpp", "CN=Directory CA", "x5t");

    /** How the request arrived. */
    enum Way { PLAIN, CERTIFICATE, STATEMENT, CERTIFICATE_AND_STATEMENT, SIGNED_WITH_STATEMENT }

    static Stream<Arguments> table() {
        String pkj = "\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"" + JWKS_URI + "\"";
        String code = "\"grant_types\":[\"authorization_code\"],\"redirect_uris\":[\"https://tpp.example/cb\"]";
        return Stream.of(
                // fapi2: methods, algorithms, response types, https redirects, tokens bound, PAR
                row("fapi2", Way.PLAIN, "{" + code + "}", "token_endpoint_auth_method=private_key_jwt"),
                row("fapi2", Way.PLAIN, "{" + code + "}", "id_token_signed_response_alg=PS256"),
                row("fapi2", Way.PLAIN, "{" + code + "}", "tls_client_certificate_bound_access_tokens=true"),
                row("fapi2", Way.PLAIN, "{" + code + "}", "require_pushed_authorization_requests=true"),
                row("fapi2", Way.PLAIN, "{" + code + ",\"token_endpoint_auth_method\":\"client_secret_basic\"}",
                        "invalid_client_metadata: token_endpoint_auth_method must be one of"),
                row("fapi2", Way.PLAIN, "{" + code + ",\"token_endpoint_auth_method\":\"none\"}",
                        "invalid_client_metadata: token_endpoint_auth_method must be one of"),
                row("fapi2", Way.PLAIN, "{" + code + "," + pkj + ",\"id_token_signed_response_alg\":\"RS256\"}",
                        "invalid_client_metadata: id_token_signed_response_alg must be one of [PS256, ES256, EdDSA]"),
                row("fapi2", Way.PLAIN, "{" + code + "," + pkj + ",\"token_endpoint_auth_signing_alg\":\"RS256\"}",
                        "invalid_client_metadata: token_endpoint_auth_signing_alg must be one of"),
                row("fapi2", Way.PLAIN, "{" + code + "," + pkj + ",\"token_endpoint_auth_signing_alg\":\"ES256\"}",
                        "token_endpoint_auth_signing_alg=ES256"),
                row("fapi2", Way.PLAIN, "{" + code + ",\"response_types\":[\"code id_token\"]}",
                        "invalid_client_metadata: response_types may contain only [code]"),
                row("fapi2", Way.PLAIN, "{\"grant_types\":[\"authorization_code\"],\"redirect_uris\":[\"http://tpp.example/cb\"]}",
                        "invalid_redirect_uri: every redirect URI must be https"),
                row("fapi2", Way.PLAIN, "{\"grant_types\":[\"client_credentials\"]}", "require_pushed_authorization_requests=<absent>"),
                // uk-openbanking: signed request and statement, redirect URIs from the statement
                row("uk-openbanking", Way.STATEMENT, "{" + code + "}",
                        "invalid_client_metadata: the registration request must be a signed JWT"),
                row("uk-openbanking", Way.PLAIN, "{" + code + "}",
                        "invalid_client_metadata: the registration request must be a signed JWT"),
                row("uk-openbanking", Way.SIGNED_WITH_STATEMENT, "{" + code + "}", "token_endpoint_auth_method=private_key_jwt"),
                row("uk-openbanking", Way.SIGNED_WITH_STATEMENT,
                        "{\"grant_types\":[\"authorization_code\"],\"redirect_uris\":[\"https://elsewhere.example/cb\"]}",
                        "invalid_redirect_uri: https://elsewhere.example/cb is not among the software statement's"),
                row("uk-openbanking", Way.SIGNED_WITH_STATEMENT, "{" + code + ",\"token_endpoint_auth_method\":\"client_secret_post\"}",
                        "invalid_client_metadata: token_endpoint_auth_method must be one of [private_key_jwt, tls_client_auth]"),
                // brazil-openfinance: mTLS and statement, keys from the statement, subject DN only, fresh statement
                row("brazil-openfinance", Way.STATEMENT, "{" + code + "}", "invalid_token: registration must come over mutual TLS"),
                row("brazil-openfinance", Way.CERTIFICATE, "{" + code + "}", "invalid_software_statement: a software statement is required"),
                row("brazil-openfinance", Way.CERTIFICATE_AND_STATEMENT, "{" + code + "}", "jwks_uri=" + JWKS_URI),
                row("brazil-openfinance", Way.CERTIFICATE_AND_STATEMENT, "{" + code + ",\"jwks_uri\":\"https://other.example/jwks\"}",
                        "invalid_client_metadata: jwks_uri must be the software statement's"),
                row("brazil-openfinance", Way.CERTIFICATE_AND_STATEMENT, "{" + code + ",\"jwks\":{\"keys\":[]}}",
                        "invalid_client_metadata: keys must be registered by jwks_uri, not by value"),
                row("brazil-openfinance", Way.CERTIFICATE_AND_STATEMENT, "{" + code + ",\"token_endpoint_auth_method\":\"tls_client_auth\","
                        + "\"tls_client_auth_san_dns\":\"tpp.example\"}", "invalid_client_metadata: tls_client_auth must name its certificate by"),
                row("brazil-openfinance", Way.CERTIFICATE_AND_STATEMENT, "{" + code + ",\"token_endpoint_auth_method\":\"tls_client_auth\","
                        + "\"tls_client_auth_subject_dn\":\"CN=tpp\"}", "token_endpoint_auth_method=tls_client_auth"),
                // au-cdr: signed, private_key_jwt only, PS256
                row("au-cdr", Way.STATEMENT, "{" + code + "}", "invalid_client_metadata: the registration request must be a signed JWT"),
                row("au-cdr", Way.SIGNED_WITH_STATEMENT, "{" + code + ",\"token_endpoint_auth_method\":\"tls_client_auth\","
                        + "\"tls_client_auth_subject_dn\":\"CN=tpp\"}", "invalid_client_metadata: token_endpoint_auth_method must be one of [private_key_jwt]"),
                row("au-cdr", Way.SIGNED_WITH_STATEMENT, "{" + code + "}", "id_token_signed_response_alg=PS256"),
                row("au-cdr", Way.SIGNED_WITH_STATEMENT, "{" + code + ",\"id_token_signed_response_alg\":\"ES256\"}",
                        "invalid_client_metadata: id_token_signed_response_alg must be one of [PS256]"));
    }

    static Arguments row(String profile, Way way, String json, String expected) {
        return Arguments.of(profile, way, json, expected);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("table")
    void eachProfileRule(String profileName, Way way, String json, String expected) {
        Profile profile = PROFILES.find(profileName).orElseThrow();
        int colon = expected.indexOf(": ");
        if (colon > 0 && !expected.contains("=")) {
            OAuthException e = assertThrows(OAuthException.class, () -> run(profile, way, Operation.REGISTER, json));
            assertEquals(expected.substring(0, colon), e.error().code(), e.description());
            assertTrue(e.description().startsWith("Security profile " + profileName + ": "), e.description());
            assertTrue(e.description().contains(expected.substring(colon + 2)), e.description());
            return;
        }
        ClientMetadata out = run(profile, way, Operation.REGISTER, json);
        String member = expected.substring(0, expected.indexOf('='));
        String value = expected.substring(expected.indexOf('=') + 1);
        Object actual = out.document().get(member);
        assertEquals(value, actual == null ? "<absent>" : String.valueOf(actual), out.document().toString());
    }

    @Test
    void brazilWantsAFreshStatementOnEveryUpdate() {
        Profile brazil = PROFILES.find("brazil-openfinance").orElseThrow();
        String json = "{\"grant_types\":[\"client_credentials\"]}";
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        OAuthException none = assertThrows(OAuthException.class, () -> ProfilePolicy.requireStatementOnUpdate(brazil, Map.of(), clock));
        assertEquals(OAuthError.INVALID_SOFTWARE_STATEMENT, none.error());
        assertTrue(none.description().contains("on every update"), none.description());
        ProfilePolicy.requireStatementOnUpdate(brazil, STATEMENT, clock);

        Map<String, Object> stale = new java.util.HashMap<>(STATEMENT);
        stale.put("iat", NOW.getEpochSecond() - 301);
        OAuthException old = assertThrows(OAuthException.class, () -> ProfilePolicy.requireStatementOnUpdate(brazil, stale, clock));
        assertTrue(old.description().contains("issued more than 300 s ago"), old.description());
        OAuthException oldOnRegister = assertThrows(OAuthException.class,
                () -> apply(brazil, Operation.REGISTER, json, stale, Map.of(), CERT));
        assertTrue(oldOnRegister.description().contains("issued more than 300 s ago"), oldOnRegister.description());
        // Other profiles let an update keep the statement it registered with.
        ProfilePolicy.requireStatementOnUpdate(PROFILES.find("uk-openbanking").orElseThrow(), Map.of(), clock);
        assertEquals(Boolean.FALSE, brazil.management().rotateRegistrationAccessToken());
    }

    @Test
    void everyShippedProfileLoadsWithItsSource() {
        assertEquals(Profiles.BUILT_IN, PROFILES.all().stream().map(Profile::name).toList());
        PROFILES.all().forEach(p -> assertTrue(p.source().length() > 40, p.name() + " names the source of its rules"));
        assertTrue(PROFILES.find("au-cdr").orElseThrow().registration().uniqueSoftwareId());
    }

    private static ClientMetadata run(Profile profile, Way way, Operation operation, String json) {
        boolean statement = way == Way.STATEMENT || way == Way.CERTIFICATE_AND_STATEMENT || way == Way.SIGNED_WITH_STATEMENT;
        boolean certificate = way == Way.CERTIFICATE || way == Way.CERTIFICATE_AND_STATEMENT;
        return apply(profile, operation, json, statement ? STATEMENT : Map.of(),
                way == Way.SIGNED_WITH_STATEMENT ? Map.of("iss", "software-1", "jti", "j1") : Map.of(), certificate ? CERT : null);
    }

    private static ClientMetadata apply(Profile profile, Operation operation, String json, Map<String, Object> statement,
                                        Map<String, Object> signed, CertificateIdentity cert) {
        MetadataJson.Parsed parsed = MetadataJson.parseWithExtensions(Json.parseObject(json, OAuthError.INVALID_CLIENT_METADATA));
        RegistrationRequest request = new RegistrationRequest(parsed.metadata(), statement, signed, parsed.extensions());
        PolicyContext context = new PolicyContext(operation, new Registrant(cert == null ? Registrant.Kind.CLIENT_AUTHENTICATES
                : Registrant.Kind.MUTUAL_TLS, "initial", null, cert), request);
        ClientMetadata defaulted = new DefaultsPolicy(List.of("openid")).apply(context, parsed.metadata());
        return new ProfilePolicy(profile, Clock.fixed(NOW, ZoneOffset.UTC)).apply(context, defaulted);
    }
}
