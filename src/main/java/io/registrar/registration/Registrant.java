package io.registrar.registration;

import java.util.Objects;

/**
 * Who authorised a registration, and how (PRODUCT.md, "ways to authorise a registration").
 * {@code tokenHash} and {@code registrationsLeft} identify the DCR token to consume; a null
 * {@code registrationsLeft} means the token allows any number of registrations.
 */
public record Registrant(Kind kind, String subject, String authenticatedUser, String tokenHash, Integer registrationsLeft) {

    public enum Kind { INITIAL_TOKEN }

    public Registrant {
        Objects.requireNonNull(kind, "kind");
    }

    public String kindName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
