package io.registrar.modules;

import io.registrar.clientauth.ClientAuthenticator;
import io.registrar.clientauth.ClientCertificate;
import io.registrar.clientauth.ClientDirectory;
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

/** Who a client is: static and registered clients, and every way they authenticate (with outbound fetches of their JWKS). */
public record ClientAuthModule(ClientDirectory directory, ClientAuthenticator authenticator) {

    public static ClientAuthModule of(RegistrarConfig config, Vocabulary vocabulary, StorageModule storage, SecurityModule security,
                                      OutboundHttp outbound, Clock clock) {
        ClientDirectory directory = new ClientDirectory(config, storage.clients(), security.secrets());
        return new ClientAuthModule(directory, new ClientAuthenticator(config, vocabulary, directory, storage.replays(), storage.failures(),
                security.secrets(), security.secretBox(), outbound, trustedIssuers(config.server().mtls()), clock));
    }

    /** The configured trusted issuers for tls_client_auth, read once at start-up. */
    private static List<X509Certificate> trustedIssuers(RegistrarConfig.Mtls mtls) {
        List<X509Certificate> out = new ArrayList<>();
        for (int i = 0; i < mtls.trustedIssuers().size(); i++) {
            String file = mtls.trustedIssuers().get(i);
            try {
                out.addAll(ClientCertificate.fromPem(Files.readString(Path.of(file))).chain());
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("configuration key 'server.mtls.trustedIssuers[" + i + "]': cannot read certificates from "
                        + file + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
