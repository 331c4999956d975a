package io.registrar.modules;

import io.registrar.config.ConfigException;
import io.registrar.config.RegistrarConfig;
import io.registrar.discovery.Endpoints;
import io.registrar.http.Route.Action;
import io.registrar.http.Route;
import io.registrar.metadata.ConfiguredMetadata;
import io.registrar.metadata.MetadataValidator;
import io.registrar.oauth.Vocabulary;
import io.registrar.oauth.OAuthException;
import io.registrar.outbound.OutboundException;
import io.registrar.outbound.OutboundHttp;
import io.registrar.clientauth.TrustedIssuers;
import io.registrar.crypto.DistinguishedNames;
import io.registrar.policy.DefaultsPolicy;
import io.registrar.profile.Profile;
import io.registrar.profile.ProfileSelector;
import io.registrar.profile.ProfileStep;
import io.registrar.profile.Profiles;
import io.registrar.policy.OverridesPolicy;
import io.registrar.policy.Policies;
import io.registrar.plugin.PluginLoader;
import io.registrar.plugin.PluginPolicy;
import io.registrar.policy.PolicyChain;
import io.registrar.policy.RegistrationPolicy;
import io.registrar.policy.RulesPolicy;
import io.registrar.rules.RuleSet;
import io.registrar.policy.Registrant;
import io.registrar.registration.CredentialIssuer;
import io.registrar.registration.DcrTokenAuthorizer;
import io.registrar.registration.MutualTlsAuthorizer;
import io.registrar.registration.RegistrationAuthorizer;
import io.registrar.registration.RegistrationService;
import io.registrar.statement.SoftwareStatements;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 7591 registration: the metadata rules this server enforces, the policies, the credentials it
 * issues, and the ways a registration may be authorised. Management and the admin API check metadata
 * by the same validator and policies.
 */
public record RegistrationModule(MetadataValidator validator, Policies policies, CredentialIssuer credentials,
                                 Set<Registrant.Kind> ways, RegistrationService service, SoftwareStatements statements,
                                 Profiles profiles, ProfileSelector profileSelector) {

    /** RFC 7591 §3: the client registration endpoint, unless registration is switched off. */
    public static List<Route> routes(RegistrarConfig config) {
        return config.registration().enabled() ? List.of(Route.post(Endpoints.REGISTRATION, Action.REGISTER)) : List.of();
    }

    public static RegistrationModule of(RegistrarConfig config, Vocabulary vocabulary, StorageModule storage, SecurityModule security,
                                        OutboundHttp outbound, ClientAuthModule clientAuth, TokenModule tokens, Addresses addresses,
                                        Clock clock) {
        RegistrarConfig.Registration reg = config.registration();
        RegistrarConfig.Management mgmt = config.management();
        MetadataValidator validator = validator(config, vocabulary, outbound);
        checkStaticRedirectUris(config, validator);
        SoftwareStatements statements = SoftwareStatements.of(config, outbound, storage.replays(), security.secrets(),
                addresses.issuer(), clock);
        // The chain, in this order: defaults, the configured overrides, the security profile attached to
        // the way the client registers (ProfileSelector), the declarative rules and the plug-ins, then
        // the software statement's directory claims, held against what will be stored.
        List<RegistrationPolicy> steps = new ArrayList<>(List.of(
                new DefaultsPolicy(reg.defaultScopes()),
                new OverridesPolicy(reg.overrides() == null ? null : reg.overrides().tokenEndpointAuthMethod(),
                        reg.overrides() == null ? null : reg.overrides().idTokenSignedResponseAlg(),
                        Set.copyOf(reg.allowedScopes()))));
        Profiles profiles = Profiles.builtIn();
        ProfileSelector selector = profileSelector(config, profiles);
        ProfileStep profile = new ProfileStep(profiles, clock);
        steps.add(profile);
        steps.addAll(preProcessing(config));
        steps.add(statements.policy());
        steps.add(profile.last());
        PolicyChain serverProfile = new PolicyChain(steps);
        Map<Registrant.Kind, PolicyChain> chains = new EnumMap<>(Registrant.Kind.class);
        for (Registrant.Kind kind : Registrant.Kind.values()) {
            chains.put(kind, serverProfile);
        }
        Policies policies = new Policies(chains);
        CredentialIssuer credentials = new CredentialIssuer(security.secrets(), security.secretBox(), reg.clientSecretLifetime(),
                mgmt.tokenLifetime(), mgmt.deleteTokenLifetime());
        Set<Registrant.Kind> ways = ways(reg);
        // The DCR token way is asked first: a caller that sent a bearer token is judged by it alone.
        List<RegistrationAuthorizer> authorizers = new ArrayList<>();
        TrustedIssuers registrationIssuers = ClientAuthModule.trustedIssuers("registration.mutualTls.trustedIssuers",
                reg.mutualTls().trustedIssuers(), clock);
        authorizers.add(new DcrTokenAuthorizer(tokens.accessTokens(), ways,
                registrationIssuers.isEmpty() ? clientAuth.tokenIssuers() : registrationIssuers));
        if (ways.contains(Registrant.Kind.MUTUAL_TLS)) {
            authorizers.add(new MutualTlsAuthorizer(registrationIssuers));
        }
        RegistrationService service = new RegistrationService(authorizers, policies, validator, credentials,
                storage.clients(), storage.templates(), clock,
                c -> addresses.registrationClientUri(c, config.management().certificateBindingRequired()), reg.softwareIdSelectsTemplate(),
                clientAuth.directory()::dcrTemplates, statements, selector);
        return new RegistrationModule(validator, policies, credentials, ways, service, statements, profiles, selector);
    }

    /**
     * PRODUCT.md's pre-processing: the declarative rules (registration.rules), then the deployer's
     * plug-ins (plugins.directory) last, so that they see the final picture (STYLE.md §2.5).
     */
    private static List<RegistrationPolicy> preProcessing(RegistrarConfig config) {
        List<RegistrationPolicy> steps = new ArrayList<>();
        RuleSet rules = RuleSet.compile(config.registration().rules());
        if (!rules.isEmpty()) {
            steps.add(new RulesPolicy(rules));
        }
        for (PluginLoader.LoadedPlugin loaded : PluginLoader.load(config.plugins().directory())) {
            steps.add(new PluginPolicy(loaded.plugin()));
        }
        return steps;
    }

    /**
     * Which profile each way of registering follows (issue 20 §6): registration.profile for all, a
     * static client's dcrToken.profile for its tokens, registration.mutualTls.profiles per certificate
     * issuer. A name no shipped profile has stops the start, naming the key.
     */
    public static ProfileSelector profileSelector(RegistrarConfig config, Profiles profiles) {
        RegistrarConfig.Registration reg = config.registration();
        Profile serverDefault = reg.profile().isEmpty() ? null : profile(profiles, reg.profile(), "registration.profile");
        Map<String, Profile> byClient = new java.util.HashMap<>();
        for (int i = 0; i < config.staticClients().size(); i++) {
            RegistrarConfig.StaticClient c = config.staticClients().get(i);
            if (!c.dcrToken().profile().isEmpty()) {
                byClient.put(c.clientId(), profile(profiles, c.dcrToken().profile(), "staticClients[" + i + "].dcrToken.profile"));
            }
        }
        List<ProfileSelector.IssuerProfile> byIssuer = new ArrayList<>();
        for (int i = 0; i < reg.mutualTls().profiles().size(); i++) {
            RegistrarConfig.IssuerProfile p = reg.mutualTls().profiles().get(i);
            String key = "registration.mutualTls.profiles[" + i + "]";
            if (p == null || p.issuer() == null || !DistinguishedNames.isValid(p.issuer())) {
                throw new ConfigException("configuration key '" + key + ".issuer' must be an RFC 4514 distinguished name");
            }
            byIssuer.add(new ProfileSelector.IssuerProfile(p.issuer(), profile(profiles, p.profile(), key + ".profile")));
        }
        return new ProfileSelector(serverDefault, byClient, byIssuer);
    }

    private static Profile profile(Profiles profiles, String name, String key) {
        return profiles.find(name == null ? "" : name.trim()).orElseThrow(() -> new ConfigException("configuration key '" + key
                + "': '" + name + "' is not a security profile; one of " + Profiles.BUILT_IN));
    }

    /** registration.authorization: PRODUCT.md's ways to authorise a registration that this deployment allows. */
    public static Set<Registrant.Kind> ways(RegistrarConfig.Registration reg) {
        Set<Registrant.Kind> ways = EnumSet.noneOf(Registrant.Kind.class);
        reg.authorization().forEach(a -> ways.add(Registrant.Kind.fromDb(a)));
        return ways;
    }

    /** What this server supports, as RFC 7591 §2 metadata is checked against it. */
    private static MetadataValidator validator(RegistrarConfig config, Vocabulary vocabulary, OutboundHttp outbound) {
        RegistrarConfig.Registration reg = config.registration();
        boolean mtls = config.server().mtls().enabled();
        return new MetadataValidator(new MetadataValidator.Capabilities(
                vocabulary,
                Set.copyOf(reg.allowedScopes()),
                reg.allowHttpLocalhostRedirects(),
                mtls,
                uri -> {
                    try {
                        outbound.checkUrl(uri);
                        return null;
                    } catch (OutboundException e) {
                        return e.getMessage();
                    }
                }));
    }

    /** Redirect URIs of static code-flow clients follow the same rules as registered ones. */
    private static void checkStaticRedirectUris(RegistrarConfig config, MetadataValidator validator) {
        for (int i = 0; i < config.staticClients().size(); i++) {
            try {
                validator.redirectUrisMatchApplicationType(ConfiguredMetadata.of(config.staticClients().get(i)));
            } catch (OAuthException e) {
                throw new ConfigException("configuration key 'staticClients[" + i + "].redirectUris': " + e.description());
            }
        }
    }
}
