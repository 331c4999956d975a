package io.registrar.policy;

import io.registrar.crypto.CertificateIdentity;

import java.util.Objects;

/**
 * Who authorised a registration, and how (PRODUCT.md, "ways to authorise a registration"): the way in
 * ({@code kind}), who the authorising credential belongs to ({@code subject}: a DCR token's initial
 * or registration client, or the subject DN of the registering certificate), the user who signed in
 * for it, if any, and the client certificate the registration came with over mutual TLS (null when
 * none: a bearer token presented over mTLS records it too). Stored with the client, so that management
 * runs the same policies as its registration did.
 */
public record Registrant(Kind kind, String subject, String authenticatedUser, CertificateIdentity certificate) {

    /** PRODUCT.md's ways to authorise a registration; stored lower-case in registrant_kind. */
    public enum Kind {
        /** A DCR token the token endpoint issued to a configured initial client. */
        CLIENT_AUTHENTICATES,
        /** A DCR token a registration client obtained through a user's login; the user is recorded. */
        USER_AUTHENTICATES,
        /** A client certificate that chains to a trusted registration issuer, and no token (issue 20 §1). */
        MUTUAL_TLS;

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

    /** A registrant that presented no client certificate. */
    public Registrant(Kind kind, String subject, String authenticatedUser) {
        this(kind, subject, authenticatedUser, null);
    }

    public String kindName() {
        return kind.dbValue();
    }
}
