package io.registrar.policy;

import java.util.Objects;

/**
 * Who authorised a registration, and how (PRODUCT.md, "ways to authorise a registration"): the way in
 * ({@code kind}), the client the authorising credential belongs to ({@code subject}: a DCR token's
 * initial or registration client), and the user who signed in for it, if any. Stored with the client,
 * so that management runs the same policies as its registration did.
 */
public record Registrant(Kind kind, String subject, String authenticatedUser) {

    /** PRODUCT.md's ways to authorise a registration; stored lower-case in registrant_kind. */
    public enum Kind {
        /** A DCR token the token endpoint issued to a configured initial client. */
        CLIENT_AUTHENTICATES,
        /** A DCR token a registration client obtained through a user's login; the user is recorded. */
        USER_AUTHENTICATES;

        public static Kind fromDb(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }

        public String dbValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Registrant {
        Objects.requireNonNull(kind, "kind");
    }

    public String kindName() {
        return kind.dbValue();
    }
}
