package io.registrar.policy;

import java.util.Objects;

/**
 * Who authorised a registration, and how (PRODUCT.md, "ways to authorise a registration").
 * {@code tokenHash} and {@code registrationsLeft} identify the DCR token to consume; a null
 * {@code registrationsLeft} means the token allows any number of registrations.
 */
public record Registrant(Kind kind, String subject, String authenticatedUser, String tokenHash, Integer registrationsLeft) {

    /** PRODUCT.md's ways to authorise a registration; stored lower-case in registrant_kind. */
    public enum Kind {
        /** A DCR token the token endpoint issued to a configured initial client. */
        CLIENT_AUTHENTICATES,
        /** A DCR token a registration client obtained through a user's login; the user is recorded. */
        USER_AUTHENTICATES;

        public static Kind fromDb(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public Registrant {
        Objects.requireNonNull(kind, "kind");
    }

    public String kindName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
