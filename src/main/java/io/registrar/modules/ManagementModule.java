package io.registrar.modules;

import io.registrar.config.RegistrarConfig;
import io.registrar.management.ManagementService;

import java.time.Clock;

/** RFC 7592 client configuration (read, update, delete), under registration's rules and credentials. */
public record ManagementModule(ManagementService service) {

    public static ManagementModule of(RegistrarConfig config, StorageModule storage, SecurityModule security,
                                      RegistrationModule registration, TokenModule tokens, Addresses addresses, Clock clock) {
        return new ManagementModule(new ManagementService(storage.clients(), tokens.accessTokens(), security.secrets(),
                registration.credentials(), registration.policies(), registration.validator(), clock, config.management().rotate(),
                addresses::registrationClientUri));
    }
}
