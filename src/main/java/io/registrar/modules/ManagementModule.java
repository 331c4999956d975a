package io.registrar.modules;

import io.registrar.config.RegistrarConfig;
import io.registrar.discovery.Endpoints;
import io.registrar.http.Route.Action;
import io.registrar.http.Route;
import io.registrar.management.ManagementService;

import java.time.Clock;
import java.util.List;

/** RFC 7592 client configuration (read, update, delete), under registration's rules and credentials. */
public record ManagementModule(ManagementService service) {

    /** RFC 7592 §2: read, update and delete at the client configuration endpoint, unless management is off. */
    public static List<Route> routes(RegistrarConfig config) {
        if (!config.management().enabled()) {
            return List.of();
        }
        return List.of(Route.get(Endpoints.CLIENT_CONFIGURATION, Action.READ_CLIENT),
                Route.put(Endpoints.CLIENT_CONFIGURATION, Action.UPDATE_CLIENT),
                Route.delete(Endpoints.CLIENT_CONFIGURATION, Action.DELETE_CLIENT));
    }

    public static ManagementModule of(RegistrarConfig config, StorageModule storage, SecurityModule security,
                                      RegistrationModule registration, TokenModule tokens, Addresses addresses, Clock clock) {
        return new ManagementModule(new ManagementService(storage.clients(), tokens.accessTokens(), security.secrets(),
                registration.credentials(), registration.policies(), registration.validator(), clock, config.management().rotate(),
                config.management().rotationLeeway(), config.management().certificateBindingRequired(),
                c -> addresses.registrationClientUri(c, config.management().certificateBindingRequired()),
                registration.statements(), registration.profiles()));
    }
}
