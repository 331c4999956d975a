package io.registrar.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code registrar explain}: what the running server would decide for a registration or an update,
 * step by step, with nothing stored and no credential issued (POST /admin/explain, scope dcrm; issue
 * 20 §5). Prints one line per step and the metadata that would be stored; exits 0 when the request
 * would be accepted, 1 when it would be refused.
 */
@Command(name = "explain", description = "Show how the running server would decide a registration (or an update), step by step, "
        + "storing nothing.",
        footer = {"%nThe request is the JSON a client would send to /register (or to its registration_client_uri",
                "with --update), or a signed request (a compact JWS). Exit code: 0 accepted, 1 refused.",
                "  registrar explain --demo --file request.json"})
final class ExplainCommand extends MainSubcommand {

    @Mixin
    ClientsCommand.Connection connection;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "-",
            description = "The registration request; - (the default) reads standard input.")
    String file;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "How the registrant is authorised: client_authenticates (default), user_authenticates or mutual_tls.")
    String kind;

    @Option(names = "--client", paramLabel = "ID", description = "The initial client the DCR token would be issued to (default: operator).")
    String client;

    @Option(names = "--user", paramLabel = "USER", description = "The user who signed in (user_authenticates).")
    String user;

    @Option(names = "--certificate", paramLabel = "PEM", description = "A PEM file: the registering client certificate (mutual_tls).")
    Path certificate;

    @Option(names = "--update", paramLabel = "CLIENT_ID", description = "Explain an update (RFC 7592) of this existing client instead.")
    String update;

    /** Made on first use: picocli instantiates every command to print any usage. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private boolean refused;

    @Override
    public Integer call() {
        if (update != null && (kind != null || client != null || user != null || certificate != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--update runs as the client was registered: --kind, --client, --user and --certificate are for registrations");
        }
        int code = ClientsCommand.againstServer(main, connection, spec, "registrar explain", this::explain);
        return code == Main.OK && refused ? Main.FAILED : code;
    }

    private void explain(ClientsCommand.AdminApi admin, PrintWriter out) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", update == null ? "register" : "update");
        body.put("request", request());
        if (update != null) {
            body.put("client_id", update);
        } else {
            Map<String, Object> registrant = new LinkedHashMap<>();
            if (kind != null) {
                registrant.put("kind", kind);
            }
            if (client != null) {
                registrant.put("client", client);
            }
            if (user != null) {
                registrant.put("user", user);
            }
            if (certificate != null) {
                registrant.put("certificate", Files.readString(certificate, StandardCharsets.US_ASCII));
            }
            if (!registrant.isEmpty()) {
                body.put("registrant", registrant);
            }
        }
        Map<String, Object> answer = admin.call("POST", "/admin/explain", Json.MAPPER.writeValueAsString(body));
        print(answer, out);
        refused = !"accepted".equals(answer.get("decision"));
    }

    /** The file's JSON object, or its text when it is a compact JWS (a signed request). */
    private Object request() throws IOException {
        String text;
        if ("-".equals(file)) {
            InputStream in = System.in;
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } else {
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            try {
                return Json.MAPPER.readValue(trimmed, Map.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ClientsCommand.AdminApi.Refused(("-".equals(file) ? "standard input" : file) + " is not a JSON object: "
                        + e.getOriginalMessage());
            }
        }
        if (trimmed.isEmpty()) {
            throw new ClientsCommand.AdminApi.Refused(("-".equals(file) ? "standard input" : file) + " is empty: give the request "
                    + "with --file");
        }
        return trimmed;
    }

    /** One line per step (name, outcome, what it changed or why it refused), the decision, then the metadata as JSON. */
    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> answer, PrintWriter out) throws IOException {
        List<Map<String, Object>> steps = (List<Map<String, Object>>) answer.get("steps");
        int width = steps.stream().mapToInt(s -> String.valueOf(s.get("step")).length()).max().orElse(0);
        for (Map<String, Object> s : steps) {
            String name = String.valueOf(s.get("step"));
            StringBuilder line = new StringBuilder(name).append(" ".repeat(width - name.length() + 2)).append(s.get("outcome"));
            String said = said(s);
            if (!said.isEmpty()) {
                line.append("  ").append(said);
            }
            out.println(line);
        }
        if ("accepted".equals(answer.get("decision"))) {
            out.println("decision: accepted; the metadata that would be stored:");
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(answer.get("metadata")));
        } else {
            Map<String, Object> error = (Map<String, Object>) answer.get("error");
            out.println("decision: refused with " + error.get("error") + ": " + error.get("error_description"));
        }
    }

    /** What a step has to say besides its outcome: its changes member by member, its error, its notes. */
    @SuppressWarnings("unchecked")
    private static String said(Map<String, Object> step) throws IOException {
        List<String> parts = new java.util.ArrayList<>();
        for (Map.Entry<String, Object> e : step.entrySet()) {
            switch (e.getKey()) {
                case "step", "outcome" -> { }
                case "changed" -> ((Map<String, Map<String, Object>>) e.getValue()).forEach((member, c) -> parts.add(change(member, c)));
                case "error" -> parts.add(e.getValue() + ":");
                case "error_description" -> parts.add(String.valueOf(e.getValue()));
                default -> parts.add(e.getKey() + "=" + json(e.getValue()));
            }
        }
        return parts.stream().collect(Collectors.joining(" ")).replace(": ;", ":");
    }

    private static String change(String member, Map<String, Object> c) {
        try {
            return switch (String.valueOf(c.get("action"))) {
                case "added" -> "+" + member + "=" + json(c.get("to")) + ";";
                case "removed" -> "-" + member + " (was " + json(c.get("from")) + ");";
                default -> member + ": " + json(c.get("from")) + " -> " + json(c.get("to")) + ";";
            };
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object value) throws IOException {
        return value instanceof String s ? s : Json.MAPPER.writeValueAsString(value);
    }
}
