package io.registrar.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The security profiles this server ships (issue 20 §6), read from {@code profiles/<name>.yaml} on the
 * class path: data, not code, so each one's rules and their sources can be read and reviewed as a
 * whole. An unknown member in a profile file fails the start, as a typo must not silently drop a rule.
 */
public final class Profiles {

    /** The shipped profiles, in the order they are listed. */
    public static final List<String> BUILT_IN = List.of("fapi2", "uk-openbanking", "brazil-openfinance", "au-cdr");

    private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h)");

    private final Map<String, Profile> byName;
    /** Each profile's file as written, for operators (GET /admin/profiles). */
    private final Map<String, Map<String, Object>> documents;

    private Profiles(Map<String, Profile> byName, Map<String, Map<String, Object>> documents) {
        this.byName = byName;
        this.documents = documents;
    }

    /** The shipped profiles, read once per process. */
    public static Profiles builtIn() {
        return BuiltIn.PROFILES;
    }

    /** Read on first use (the holder idiom): class initialisation makes it once and safely published. */
    private static final class BuiltIn {
        static final Profiles PROFILES = read();
    }

    private static Profiles read() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationReader()));
        Map<String, Profile> profiles = new LinkedHashMap<>();
        Map<String, Map<String, Object>> documents = new LinkedHashMap<>();
        for (String name : BUILT_IN) {
            String resource = "profiles/" + name + ".yaml";
            try (InputStream in = Profiles.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resource);
                }
                byte[] text = in.readAllBytes();
                Profile p = yaml.readValue(text, Profile.class);
                documents.put(name, yaml.readValue(text, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
                if (!name.equals(p.name())) {
                    throw new IllegalStateException(resource + " names itself '" + p.name() + "'");
                }
                profiles.put(name, p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return new Profiles(Map.copyOf(profiles), Map.copyOf(documents));
    }

    public Optional<Profile> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The profile's rules as its file writes them. */
    public Map<String, Object> document(String name) {
        return documents.get(name);
    }

    public List<Profile> all() {
        return BUILT_IN.stream().map(byName::get).toList();
    }

    /** 5m, 1h, 30s, or ISO-8601. */
    private static final class DurationReader extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString().trim();
            Matcher m = DURATION.matcher(text);
            if (!m.matches()) {
                return Duration.parse(text);
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
    }
}
