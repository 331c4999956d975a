package io.registrar.cli;

import io.registrar.config.RegistrarConfig;

import java.io.PrintWriter;
import java.nio.file.Path;

/** What `./registrar demo` prints: where the server is and how to try the whole DCR flow. */
final class DemoBanner {

    private DemoBanner() {
    }

    static void print(String issuer, RegistrarConfig config, PrintWriter out) {
        RegistrarConfig.StaticClient initial = config.staticClients().stream()
                .filter(c -> c.scopes().contains("dcr")).findFirst().orElse(null);
        StringBuilder b = new StringBuilder();
        b.append("\n  Registrar demo is running at ").append(issuer).append("\n");
        b.append("  (self-signed certificate: curl needs -k, or --cacert ").append(Path.of(config.storage().dataDir(), "tls-self-signed.pem"))
                .append("; data in ").append(config.storage().dataDir()).append(")\n\n");
        if (initial != null) {
            b.append("  1. Get a DCR access token as the initial client:\n");
            b.append("     TOKEN=$(curl -sk -u ").append(initial.clientId()).append(':').append(initial.clientSecret())
                    .append(" -d grant_type=client_credentials -d scope=dcr ").append(issuer).append("/token | jq -r .access_token)\n\n");
            b.append("  2. Register an application client:\n");
            b.append("     curl -sk -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n");
            b.append("          -d '{\"client_name\":\"My app\",\"grant_types\":[\"client_credentials\"],\"scope\":\"api\"}' \\\n");
            b.append("          ").append(issuer).append("/register | jq\n\n");
            b.append("  The README walks through reading, updating and deleting it (RFC 7592).\n\n");
        }
        for (RegistrarConfig.User u : config.users()) {
            b.append("  Demo user: ").append(u.username()).append(" / ").append(u.password())
                    .append("  (signs in on the login page of ").append(issuer).append("/authorize)\n");
        }
        config.staticClients().stream().filter(c -> "none".equals(c.authMethod()) && c.scopes().contains("dcr")).findFirst()
                .ifPresent(c -> b.append("  Mobile registration client: ").append(c.clientId())
                        .append(" (user-authenticated DCR; the README's \"Mobile apps\" section walks through it)\n"));
        config.templates().forEach(t -> b.append("  Template: ").append(t.id()).append(" (software_id for templatized DCR)\n"));
        if (config.registration().authorization().contains("mutual_tls")) {
            b.append("  Demo directory: ./registrar directory issues partner certificates and software statements\n")
                    .append("  (partner onboarding over mTLS on port ").append(config.server().mtls().port())
                    .append(": docs/partner-onboarding.md)\n");
        }
        if (!config.users().isEmpty() || !config.templates().isEmpty()) {
            b.append("\n");
        }
        b.append("  Discovery: ").append(issuer).append("/.well-known/openid-configuration\n");
        out.println(b);
        out.flush();
    }
}
