package io.registrar.store;

import io.registrar.crypto.CertificateIdentity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a client came to be registered, beyond its registrant kind: the client certificate it registered
 * with over mutual TLS (null: none; its thumbprint binds the registration access token when
 * management.certificateBinding is required, issue 20 §2), and the software statement it registered
 * or last updated with (RFC 7591 §2.3; null: none) with that statement's verified claims, kept so that
 * operators see them and a PUT can be checked against them; and the security profile it was registered
 * under. Stored as one JSON document, apart from {@code uniqueSoftwareId}, which has a unique column.
 */
public record RegistrationOrigin(CertificateIdentity certificate, String softwareStatement, Map<String, Object> statementClaims,
                                 String profile, String uniqueSoftwareId) {

    public static final RegistrationOrigin NONE = new RegistrationOrigin(null, null, Map.of());

    public RegistrationOrigin {
        statementClaims = statementClaims == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(statementClaims));
    }

    /** An origin without a security profile. */
    public RegistrationOrigin(CertificateIdentity certificate, String softwareStatement, Map<String, Object> statementClaims) {
        this(certificate, softwareStatement, statementClaims, null, null);
    }

    public boolean isNone() {
        return certificate == null && softwareStatement == null && statementClaims.isEmpty() && profile == null;
    }

    /** This origin with another statement and its claims (a PUT that brought one). */
    public RegistrationOrigin withStatement(String statement, Map<String, Object> claims) {
        return new RegistrationOrigin(certificate, statement, claims, profile, uniqueSoftwareId);
    }

    /**
     * This origin under a security profile (issue 20 §6), kept so that updates and the authorization
     * endpoint apply the same profile; {@code uniqueSoftwareId} is the client's software_id when the
     * profile allows one registration per software_id (null otherwise), which the store keeps unique.
     */
    public RegistrationOrigin withProfile(String profileName, String softwareIdToKeepUnique) {
        return new RegistrationOrigin(certificate, softwareStatement, statementClaims, profileName, softwareIdToKeepUnique);
    }

    /** The stored JSON document; empty members are left out. */
    public Map<String, Object> document() {
        Map<String, Object> d = new LinkedHashMap<>();
        if (certificate != null) {
            Map<String, Object> cert = new LinkedHashMap<>();
            cert.put("subject_dn", certificate.subjectDn());
            cert.put("issuer_dn", certificate.issuerDn());
            cert.put("x5t#S256", certificate.thumbprint());
            d.put("certificate", cert);
        }
        if (softwareStatement != null) {
            d.put("software_statement", softwareStatement);
        }
        if (!statementClaims.isEmpty()) {
            d.put("statement_claims", statementClaims);
        }
        if (profile != null) {
            d.put("profile", profile);
        }
        return d;
    }

    /** Reads what {@link #document()} wrote; tolerant of members it does not know. */
    @SuppressWarnings("unchecked")
    public static RegistrationOrigin fromDocument(Map<String, Object> d) {
        if (d == null || d.isEmpty()) {
            return NONE;
        }
        CertificateIdentity cert = null;
        if (d.get("certificate") instanceof Map<?, ?> c) {
            cert = new CertificateIdentity((String) c.get("subject_dn"), (String) c.get("issuer_dn"), (String) c.get("x5t#S256"));
        }
        Object claims = d.get("statement_claims");
        return new RegistrationOrigin(cert, (String) d.get("software_statement"),
                claims instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(), (String) d.get("profile"), null);
    }
}
