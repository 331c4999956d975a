package io.registrar.rules;

/** An invalid rule: {@code key} is the configuration key at fault ({@code registration.rules[2].reject.error}). */
public final class RuleException extends IllegalArgumentException {

    private final String key;

    RuleException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
