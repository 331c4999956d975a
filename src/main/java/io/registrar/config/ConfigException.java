package io.registrar.config;

/**
 * A configuration problem found at start-up. The message names the offending key and, where it is
 * known, where the value came from: a file with line and column, or an environment variable.
 */
public final class ConfigException extends RuntimeException {

    /** The key in dotted form ({@code staticClients[0].clientSecret}), or null when the problem has none. */
    private final String key;

    public ConfigException(String message) {
        this(message, (String) null);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.key = null;
    }

    ConfigException(String message, String key) {
        super(message);
        this.key = key;
    }

    ConfigException(String message, String key, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    String key() {
        return key;
    }
}
