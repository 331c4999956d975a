package io.registrar.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads {@link RegistrarConfig}: the documented defaults resource, then optional layers (the demo
 * profile, the operator's file), then {@code REGISTRAR_*} environment variables, each overriding the
 * one before. {@code REGISTRAR_SERVER__PORT=9000} sets {@code server.port}; a double underscore
 * separates levels and a single one becomes camelCase ({@code STORAGE__JDBC_URL} → {@code storage.jdbcUrl}).
 * Only keys documented in the defaults can be set from the environment. Every error says where the
 * offending value came from: the file with line and column, or the environment variable.
 */
public final class ConfigLoader {

    public static final String DEFAULTS_RESOURCE = "registrar-defaults.yaml";
    public static final String DEMO_RESOURCE = "registrar-demo.yaml";
    private static final String ENV_PREFIX = "REGISTRAR_";
    /**
     * Environment variables that are not configuration keys: the launcher's (REGISTRAR_CONFIG,
     * REGISTRAR_JAVA_OPTS), the log level logging.JsonLogging reads, and the switch `registrar test` sets
     * for the browser test.
     */
    private static final List<String> NOT_KEYS = List.of("REGISTRAR_CONFIG", "REGISTRAR_JAVA_OPTS", "REGISTRAR_LOG_LEVEL",
            "REGISTRAR_E2E");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /**
     * Shared by every loader: Jackson builds a record's deserializer once per mapper, and that is most
     * of a cold load's time; {@link #warmUp} builds them ahead.
     */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

    private final ObjectMapper yaml = YAML;

    /**
     * Loads a valid configuration once (the defaults, with TLS off: the defaults alone name no key
     * store), so that the next load finds Jackson's deserializers built.
     */
    public static void warmUp() {
        new ConfigLoader().load(List.of("server:\n  tls:\n    mode: \"off\"\n"), Map.of());
    }

    /**
     * The shipped defaults, parsed once per process (the warm-up does it ahead of the start) and only
     * read: every load merges its layers onto a copy.
     */
    private static final class Defaults {
        static final ObjectNode TREE = new ConfigLoader().parse(new Layer(DEFAULTS_RESOURCE, resource(DEFAULTS_RESOURCE)), null);
    }

    /** One YAML document and the name an error gives it (a file path, the demo profile). */
    private record Layer(String origin, String text) {
    }

    /** Defaults + optional demo profile + optional file + environment. */
    public RegistrarConfig load(boolean demo, Path file, Map<String, String> environment) {
        List<Layer> layers = new ArrayList<>();
        if (demo) {
            layers.add(new Layer(DEMO_RESOURCE + " (the demo profile)", resource(DEMO_RESOURCE)));
        }
        if (file != null) {
            layers.add(new Layer(file.toString(), readFile(file)));
        }
        return loadLayers(layers, environment);
    }

    /** Defaults, then each YAML layer in order, then environment overrides. */
    public RegistrarConfig load(List<String> yamlLayers, Map<String, String> environment) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < yamlLayers.size(); i++) {
            layers.add(new Layer("configuration layer " + (i + 1), yamlLayers.get(i)));
        }
        return loadLayers(layers, environment);
    }

    private static String readFile(Path file) {
        if (!Files.exists(file)) {
            throw new ConfigException("configuration file " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException("configuration file " + file + " is a directory, not a file");
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e, e);
        }
    }

    private RegistrarConfig loadLayers(List<Layer> layers, Map<String, String> environment) {
        ObjectNode defaults = Defaults.TREE;
        ObjectNode tree = defaults.deepCopy();
        // Where each value set by a layer or the environment came from, by JSON pointer.
        Map<String, String> origins = new HashMap<>();
        for (Layer layer : layers) {
            Map<String, String> located = new HashMap<>();
            merge(tree, parse(layer, located), "", origins);
            origins.putAll(located);
        }
        applyEnvironment(tree, defaults, environment, origins);
        try {
            RegistrarConfig config = bind(tree);
            ConfigValidator.validate(config);
            return config;
        } catch (ConfigException e) {
            String where = e.key() == null ? null : originOf(pointer(e.key()), origins);
            throw where == null ? e : new ConfigException(where + ": " + e.getMessage(), e.key(), e);
        }
    }

    /**
     * Parses one layer, recording in {@code located} (unless null) where each key was written ("FILE,
     * line L, column C", by JSON pointer); a syntax error names the file, line and column.
     */
    private ObjectNode parse(Layer layer, Map<String, String> located) {
        try {
            JsonNode node = yaml.readTree(layer.text());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return yaml.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(layer.origin() + " must be a YAML mapping of configuration keys");
            }
            if (located == null) {
                return (ObjectNode) node;
            }
            try (JsonParser p = yaml.getFactory().createParser(layer.text())) {
                while (p.nextToken() != null) {
                    JsonLocation at = p.currentTokenLocation();
                    located.putIfAbsent(p.getParsingContext().pathAsPointer().toString(),
                            layer.origin() + ", line " + at.getLineNr() + ", column " + at.getColumnNr());
                }
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                // SnakeYAML's problem mark is where the parser gave up; its context says what it was reading.
                var mark = m.getProblemMark();
                throw new ConfigException(layer.origin() + ", line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)
                        + ": not valid YAML: " + m.getProblem()
                        + (m.getContext() == null ? "" : " (" + m.getContext().strip() + ")"), e);
            }
            JsonLocation at = e.getLocation();
            String where = at == null ? layer.origin() : layer.origin() + ", line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(where + ": not valid YAML: " + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    private RegistrarConfig bind(ObjectNode tree) {
        try {
            return yaml.treeToValue(tree, RegistrarConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown configuration key '" + path(e) + "'", path(e), e);
        } catch (InvalidFormatException e) {
            throw new ConfigException("configuration key '" + path(e) + "' has an invalid value '" + e.getValue() + "'"
                    + (e.getTargetType() == Duration.class ? ": " + e.getOriginalMessage() : ""), path(e), e);
        } catch (MismatchedInputException e) {
            throw new ConfigException("configuration key '" + path(e) + "' has the wrong type: " + e.getOriginalMessage(), path(e), e);
        } catch (IOException e) {
            throw new ConfigException("configuration key '" + pathOf(e) + "': " + e.getMessage(), pathOf(e), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage(), e);
        }
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String pathOf(IOException e) {
        return e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? path(m) : "?";
    }

    /** {@code staticClients[0].clientSecret} → {@code /staticClients/0/clientSecret}. */
    static String pointer(String key) {
        StringBuilder b = new StringBuilder();
        for (String part : key.replace("[", ".").replace("]", "").split("\\.")) {
            if (!part.isEmpty()) {
                b.append('/').append(part);
            }
        }
        return b.toString();
    }

    /**
     * Where the value at {@code pointer} came from. A key that no layer set but that belongs to a
     * list item (a static client's missing jwks) points at the item.
     */
    private static String originOf(String pointer, Map<String, String> origins) {
        if (origins.containsKey(pointer)) {
            return origins.get(pointer);
        }
        for (String p = pointer; p.lastIndexOf('/') > 0; ) {
            p = p.substring(0, p.lastIndexOf('/'));
            if (p.substring(p.lastIndexOf('/') + 1).chars().allMatch(Character::isDigit)) {
                // The item, else the whole list (set as one value, e.g. by an environment variable).
                return origins.getOrDefault(p, origins.get(p.substring(0, p.lastIndexOf('/'))));
            }
        }
        return null;
    }

    /**
     * Applies {@code REGISTRAR_*} variables. Each must name a key documented in the defaults (a
     * mistyped variable would otherwise be silently ignored, or read as if a file had set it).
     */
    private void applyEnvironment(ObjectNode tree, ObjectNode defaults, Map<String, String> environment,
                                  Map<String, String> origins) {
        environment.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ENV_PREFIX) && !NOT_KEYS.contains(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    String name = e.getKey();
                    String[] segments = name.substring(ENV_PREFIX.length()).split("__", -1);
                    JsonNode documented = defaults;
                    ObjectNode parent = tree;
                    StringBuilder pointer = new StringBuilder();
                    StringBuilder dotted = new StringBuilder();
                    for (int i = 0; i < segments.length; i++) {
                        String key = documentedKey(documented, segments[i]);
                        dotted.append(i == 0 ? "" : ".").append(key == null ? camel(segments[i]) : key);
                        if (key == null) {
                            throw new ConfigException("environment variable " + name + " names no configuration key: '" + dotted
                                    + "' is not in " + DEFAULTS_RESOURCE + " (the configuration reference)");
                        }
                        pointer.append('/').append(key);
                        documented = documented.get(key);
                        if (i < segments.length - 1) {
                            if (!documented.isObject()) {
                                throw new ConfigException("environment variable " + name + " names no configuration key: '"
                                        + dotted + "' has no keys below it; set " + ENV_PREFIX
                                        + String.join("__", java.util.Arrays.copyOf(segments, i + 1)) + " to its whole value");
                            }
                            JsonNode child = parent.get(key);
                            if (!(child instanceof ObjectNode)) {
                                child = parent.putObject(key);
                            }
                            parent = (ObjectNode) child;
                        } else {
                            parent.set(key, scalar(e.getValue()));
                        }
                    }
                    String p = pointer.toString();
                    origins.keySet().removeIf(k -> k.startsWith(p + "/"));
                    origins.put(p, "environment variable " + name);
                });
    }

    /** The documented key an environment segment names: JDBC_URL, JDBCURL and jdbcurl all name jdbcUrl. */
    private static String documentedKey(JsonNode documented, String segment) {
        if (!(documented instanceof ObjectNode section) || segment.isEmpty()) {
            return null;
        }
        String wanted = segment.replace("_", "").toLowerCase(Locale.ROOT);
        Iterator<String> names = section.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (n.toLowerCase(Locale.ROOT).equals(wanted)) {
                return n;
            }
        }
        return null;
    }

    /** An environment value is read as YAML, so numbers, booleans and [a, b] lists keep their types. */
    private JsonNode scalar(String value) {
        try {
            JsonNode node = yaml.readTree(value);
            return node == null || node.isMissingNode() ? yaml.getNodeFactory().textNode("") : node;
        } catch (IOException e) {
            return yaml.getNodeFactory().textNode(value);
        }
    }

    static String camel(String envSegment) {
        String[] words = envSegment.toLowerCase(Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            if (!words[i].isEmpty()) {
                b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
        }
        return b.toString();
    }

    /**
     * Deep merge: mappings merge key by key, anything else (lists included) is replaced, and with it
     * the record of where the replaced value's parts came from.
     */
    private static void merge(ObjectNode target, ObjectNode source, String at, Map<String, String> origins) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String p = at + "/" + f.getKey();
            JsonNode existing = target.get(f.getKey());
            if (existing instanceof ObjectNode eo && f.getValue() instanceof ObjectNode so) {
                merge(eo, so, p, origins);
            } else {
                target.set(f.getKey(), f.getValue());
                origins.keySet().removeIf(k -> k.startsWith(p + "/"));
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new ConfigException("missing resource " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Durations are written {@code 28d}, {@code 1h}, {@code 30s}, {@code 500ms} or ISO-8601 ({@code PT1H}). */
    static Duration parseDuration(String text) {
        String t = text.trim();
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 28d, 1h, 30s or PT1H)");
        }
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                if (text == null) {
                    throw new IllegalArgumentException("a duration is required");
                }
                return parseDuration(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
            }
        }
    }
}
