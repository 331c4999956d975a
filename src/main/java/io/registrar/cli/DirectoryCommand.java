package io.registrar.cli;

import io.registrar.crypto.DemoDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code registrar directory}: the demo directory (issue 20 §7), standing in for an ecosystem's
 * central authority so partner onboarding can be tried locally: it issues software statements and
 * client certificates that the demo server trusts (registrar-demo.yaml names its CA and keys).
 */
@Command(name = "directory", description = "Act as the demo directory: issue software statements and client certificates.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {DirectoryCommand.Statement.class, DirectoryCommand.Certificate.class},
        footer = {"%nThe directory's keys are made once in the data folder (default ./data/demo, where ./registrar demo",
                "keeps its data). Demo only: whoever can read that folder can act as the directory."})
final class DirectoryCommand extends MainSubcommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.USAGE;
    }

    /** Options both subcommands take. */
    static class Data {
        @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data/demo",
                description = "The demo server's data folder (default: ${DEFAULT-VALUE}).")
        Path dir;
    }

    @Command(name = "statement", description = "Print a software statement (RFC 7591 §2.3) signed by the demo directory.",
            footer = {"%nExample:", "  registrar directory statement --software-id tpp-app --org-id org-1 \\",
                    "      --redirect-uri https://tpp.example/cb --role AISP"})
    static final class Statement implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Data data;

        @Option(names = "--software-id", required = true, description = "software_id: the software product the statement is for.")
        String softwareId;

        @Option(names = "--client-name", description = "client_name (metadata the statement asserts).")
        String clientName;

        @Option(names = "--redirect-uri", paramLabel = "URI", description = "software_redirect_uris, and redirect_uris; repeatable.")
        List<String> redirectUris = new ArrayList<>();

        @Option(names = "--jwks-uri", paramLabel = "URI", description = "software_jwks_uri: where the software's public keys are.")
        String jwksUri;

        @Option(names = "--org-id", defaultValue = "demo-org", description = "org_id (default: ${DEFAULT-VALUE}).")
        String orgId;

        @Option(names = "--org-name", defaultValue = "Demo Partner Ltd", description = "org_name (default: ${DEFAULT-VALUE}).")
        String orgName;

        @Option(names = "--org-status", defaultValue = "Active", description = "org_status (default: ${DEFAULT-VALUE}).")
        String orgStatus;

        @Option(names = "--role", paramLabel = "ROLE", description = "software_roles; repeatable.")
        List<String> roles = new ArrayList<>();

        @Option(names = "--claim", paramLabel = "NAME=VALUE", description = "Any other claim; VALUE is read as JSON when it is JSON. Repeatable.")
        Map<String, String> claims = new LinkedHashMap<>();

        @Option(names = "--lifetime", defaultValue = "10m", description = "How long it is valid: 30s, 10m, 1h (default: ${DEFAULT-VALUE}).")
        String lifetime;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("software_id", softwareId);
            c.put("org_id", orgId);
            c.put("org_name", orgName);
            c.put("org_status", orgStatus);
            if (clientName != null) {
                c.put("client_name", clientName);
            }
            if (!redirectUris.isEmpty()) {
                c.put("software_redirect_uris", redirectUris);
                c.put("redirect_uris", redirectUris);
            }
            if (jwksUri != null) {
                c.put("software_jwks_uri", jwksUri);
            }
            if (!roles.isEmpty()) {
                c.put("software_roles", roles);
            }
            claims.forEach((name, value) -> c.put(name, jsonOrText(value)));
            Duration valid;
            try {
                valid = Duration.parse("PT" + lifetime.toUpperCase(java.util.Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                spec.commandLine().getErr().println("registrar directory statement: --lifetime '" + lifetime + "' is not 30s, 10m or 1h");
                return Main.USAGE;
            }
            spec.commandLine().getOut().println(DemoDirectory.ensure(data.dir).signStatement(c, valid));
            return Main.OK;
        }

        private static Object jsonOrText(String value) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readValue(value, Object.class);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                return value;
            }
        }
    }

    @Command(name = "certificate", description = "Write a client certificate and key issued by the demo directory's CA.",
            footer = {"%nExample:", "  registrar directory certificate --subject 'CN=tpp-app,O=Demo Partner Ltd,C=GB' --out tpp",
                    "  writes tpp.pem (the certificate, then the CA's) and tpp-key.pem (its private key)."})
    static final class Certificate implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Data data;

        @Option(names = "--subject", required = true, paramLabel = "DN", description = "The subject, an RFC 4514 distinguished name.")
        String subject;

        @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Writes PREFIX.pem and PREFIX-key.pem.")
        String out;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!io.registrar.crypto.DistinguishedNames.isValid(subject)) {
                spec.commandLine().getErr().println("registrar directory certificate: --subject '" + subject + "' is not a distinguished name");
                return Main.USAGE;
            }
            Path cert = Path.of(out + ".pem");
            Path key = Path.of(out + "-key.pem");
            DemoDirectory.ensure(data.dir).issueCertificate(subject, cert, key);
            spec.commandLine().getOut().println("wrote " + cert + " and " + key);
            return Main.OK;
        }
    }
}
