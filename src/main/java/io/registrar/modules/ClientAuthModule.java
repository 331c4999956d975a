package io.registrar.modules;

import io.registrar.clientauth.ClientAuthenticator;
import io.registrar.clientauth.ClientCertificate;
import io.registrar.clientauth.ClientDirectory;
import io.registrar.clientauth.TrustedIssuers;
import io.registrar.config.ConfigException;
import io.registrar.config.RegistrarConfig;
import io.registrar.oauth.Vocabulary;
import io.registrar.outbound.OutboundHttp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a client is: static and registered clients, and every way they authenticate (with outbound fetches
 * of their JWKS). {@code tokenIssuers}: the token endpoint's trusted CAs (server.mtls.trustedIssuers).
 */
public record ClientAuthModule(ClientDirectory directory, ClientAuthenticator authenticator, TrustedIssuers tokenIssuers) {

    public static ClientAuthModule of(RegistrarConfig config, Vocabulary vocabulary, StorageModule storage, SecurityModule security,
                                      OutboundHttp outbound, Clock clock) {
        ClientDirectory directory = new ClientDirectory(config, storage.clients(), security.secrets());
        TrustedIssuers tokenIssuers = trustedIssuers("server.mtls.trustedIssuers", config.server().mtls().trustedIssuers(), clock);
        return new ClientAuthModule(directory, new ClientAuthenticator(config, vocabulary, directory, storage.replays(), storage.failures(),
                security.secrets(), security.secretBox(), outbound, tokenIssuers, clock), tokenIssuers);
    }

    /**
     * Certificate authorities from PEM files, read once at start-up: the token endpoint's for
     * tls_client_auth, or the registration endpoint's for registration over mutual TLS.
     */
    public static TrustedIssuers trustedIssuers(String key, List<String> files, Clock clock) {
        List<X509Certificate> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String file = files.get(i);
            try {
                out.addAll(ClientCertificate.fromPem(Files.readString(Path.of(file))).chain());
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("configuration key '" + key + "[" + i + "]': cannot read certificates from "
                        + file + ": " + e.getMessage(), e);
            }
        }
        return new TrustedIssuers(out, clock);
    }
}
