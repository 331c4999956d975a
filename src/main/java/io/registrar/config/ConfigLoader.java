package io.registrar.config;

import com.fasterxml.jackson.core.JsonParser;
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
 */
public final class ConfigLoader {

    public static final String DEFAULTS_RESOURCE = "registrar-defaults.yaml";
    public static final String DEMO_RESOURCE = "registrar-demo.yaml";
    private static final String ENV_PREFIX = "REGISTRAR_";
    /** Environment variables the launcher itself reads; they are not configuration keys. */
    private static final List<String> NOT_KEYS = List.of("REGISTRAR_CONFIG", "REGISTRAR_JAVA_OPTS", "REGISTRAR_HOME", "REGISTRAR_LOG_LEVEL");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final ObjectMapper yaml;

    public ConfigLoader() {
        SimpleModule durations = new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer());
        this.yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    }

    /** Defaults + optional demo profile + optional file + environment. */
    public RegistrarConfig load(boolean demo, Path file, Map<String, String> environment) {
        List<String> layers = new ArrayList<>();
        if (demo) {
            layers.add(resource(DEMO_RESOURCE));
        }
        if (file != null) {
            try {
                layers.add(Files.readString(file));
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
            }
        }
        return load(layers, environment);
    }

    /** Defaults, then each YAML layer in order, then environment overrides. */
    public RegistrarConfig load(List<String> yamlLayers, Map<String, String> environment) {
        ObjectNode tree = parse(resource(DEFAULTS_RESOURCE), DEFAULTS_RESOURCE);
        int n = 0;
        for (String layer : yamlLayers) {
            n++;
            JsonNode node = parse(layer, "configuration layer " + n);
            if (node != null && !node.isNull() && !node.isMissingNode()) {
                if (!node.isObject()) {
                    throw new ConfigException("configuration layer " + n + " must be a YAML mapping");
                }
                merge(tree, (ObjectNode) node);
            }
        }
        applyEnvironment(tree, environment);
        RegistrarConfig config = bind(tree);
        ConfigValidator.validate(config);
        return config;
    }

    private ObjectNode parse(String text, String origin) {
        try {
            JsonNode node = yaml.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return yaml.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(origin + " must be a YAML mapping");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new ConfigException(origin + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private RegistrarConfig bind(ObjectNode tree) {
        try {
            return yaml.treeToValue(tree, RegistrarConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown configuration key '" + path(e) + "'", e);
        } catch (InvalidFormatException e) {
            throw new ConfigException("configuration key '" + path(e) + "' has an invalid value '" + e.getValue() + "'", e);
        } catch (MismatchedInputException e) {
            throw new ConfigException("configuration key '" + path(e) + "' has the wrong type: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("configuration key '" + pathOf(e) + "': " + e.getMessage(), e);
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

    private void applyEnvironment(ObjectNode tree, Map<String, String> environment) {
        environment.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ENV_PREFIX) && !NOT_KEYS.contains(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    String[] segments = e.getKey().substring(ENV_PREFIX.length()).split("__");
                    ObjectNode parent = tree;
                    for (int i = 0; i < segments.length - 1; i++) {
                        String key = camel(segments[i]);
                        JsonNode child = parent.get(key);
                        if (!(child instanceof ObjectNode)) {
                            child = parent.putObject(key);
                        }
                        parent = (ObjectNode) child;
                    }
                    parent.set(camel(segments[segments.length - 1]), scalar(e.getKey(), e.getValue()));
                });
    }

    /** An environment value is read as YAML, so numbers, booleans and [a, b] lists keep their types. */
    private JsonNode scalar(String name, String value) {
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

    /** Deep merge: mappings merge key by key, anything else (lists included) is replaced. */
    private static void merge(ObjectNode target, ObjectNode source) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode existing = target.get(f.getKey());
            if (existing instanceof ObjectNode eo && f.getValue() instanceof ObjectNode so) {
                merge(eo, so);
            } else {
                target.set(f.getKey(), f.getValue());
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
