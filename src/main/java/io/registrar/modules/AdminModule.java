package io.registrar.modules;

import io.registrar.admin.AdminService;
import io.registrar.config.ConfigException;
import io.registrar.config.RegistrarConfig;
import io.registrar.discovery.Endpoints;
import io.registrar.http.Route.Action;
import io.registrar.http.Route;
import io.registrar.metadata.ConfiguredMetadata;
import io.registrar.metadata.MetadataJson;
import io.registrar.oauth.OAuthException;

import java.time.Clock;
import java.util.List;

/**
 * The admin API (the dcrm scope): clients by user, revocation, templates (the configured ones saved at
 * start), and backups of the embedded database.
 */
public record AdminModule(AdminService service) {

    /** The admin API, served with management (both are dcrm's). */
    public static List<Route> routes(RegistrarConfig config) {
        if (!config.management().enabled()) {
            return List.of();
        }
        return List.of(Route.get(Endpoints.ADMIN_CLIENTS, Action.ADMIN_CLIENTS_OF_USER),
                Route.get(Endpoints.ADMIN_CLIENT, Action.ADMIN_CLIENT),
                Route.post(Endpoints.ADMIN_CLIENT_REVOKE, Action.ADMIN_REVOKE_CLIENT),
                Route.post(Endpoints.ADMIN_CLIENT_ENABLE, Action.ADMIN_ENABLE_CLIENT),
                Route.get(Endpoints.ADMIN_TEMPLATES, Action.ADMIN_TEMPLATES),
                Route.get(Endpoints.ADMIN_TEMPLATE, Action.ADMIN_TEMPLATE),
                Route.put(Endpoints.ADMIN_TEMPLATE, Action.ADMIN_SAVE_TEMPLATE),
                Route.post(Endpoints.ADMIN_BACKUP, Action.ADMIN_BACKUP),
                Route.get(Endpoints.ADMIN_PROFILES, Action.ADMIN_PROFILES),
                Route.post(Endpoints.ADMIN_EXPLAIN, Action.ADMIN_EXPLAIN));
    }

    public static AdminModule of(RegistrarConfig config, StorageModule storage, RegistrationModule registration,
                                 ManagementModule management, TokenModule tokens, Clock clock) {
        AdminService admin = new AdminService(tokens.accessTokens(), storage.clients(), storage.templates(), storage.users(),
                storage.backups(), registration.validator(), registration.profiles(), registration.profileSelector(), clock,
                registration.service(), management.service());
        saveConfiguredTemplates(config, admin);
        return new AdminModule(admin);
    }

    /** Configured templates, validated like registrations and written to the database (a changed file updates them). */
    private static void saveConfiguredTemplates(RegistrarConfig config, AdminService admin) {
        for (int i = 0; i < config.templates().size(); i++) {
            RegistrarConfig.Template t = config.templates().get(i);
            try {
                admin.saveTemplate(t.id(), MetadataJson.parse(ConfiguredMetadata.of(t)), t.accessTokenLifetime(), t.refreshTokenLifetime());
            } catch (OAuthException e) {
                throw new ConfigException("configuration key 'templates[" + i + "]' (" + t.id() + "): " + e.description());
            }
        }
    }
}
