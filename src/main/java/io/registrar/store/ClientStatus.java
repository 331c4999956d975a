package io.registrar.store;

import java.util.Locale;

/** Lifecycle of a dynamic client; stored lower-case in the {@code status} column. */
public enum ClientStatus {
    ACTIVE, REVOKED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ClientStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
