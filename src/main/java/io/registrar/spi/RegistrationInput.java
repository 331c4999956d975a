package io.registrar.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link RegistrationPlugin} decides on.
 *
 * @param operation       a registration (RFC 7591 §3.1, POST) or an update (RFC 7592 §2.2, PUT)
 * @param registrant      who authorised the request, and how
 * @param metadata        the client metadata as it stands after the server's defaults, the profile's
 *                        overrides, the declarative rules and the plug-ins before this one (RFC 7591 §2
 *                        member names; language-tagged members as {@code client_name#fr})
 * @param statementClaims the claims of the verified software statement (RFC 7591 §2.3), which have already
 *                        taken precedence over the same members of the request; empty without one
 * @param extensions      the members of the request that are not client metadata this server understands;
 *                        never stored or echoed (RFC 7591 §2), here for plug-ins that give them a meaning
 */
public record RegistrationInput(Operation operation, Registrant registrant, Map<String, Object> metadata,
                                Map<String, Object> statementClaims, Map<String, Object> extensions) {

    /** The RFC 7591 / RFC 7592 operation. */
    public enum Operation { REGISTER, UPDATE }

    public RegistrationInput {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(registrant, "registrant");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(statementClaims, "statementClaims");
        Objects.requireNonNull(extensions, "extensions");
    }

    /**
     * Who authorised the registration.
     *
     * @param kind        how: {@code client_authenticates} (a DCR token issued to an initial client),
     *                    {@code user_authenticates} (a DCR token obtained through a user's login) or
     *                    {@code mutual_tls} (a client certificate from a trusted registration issuer);
     *                    more may come
     * @param client      the client the DCR token was issued to; empty when no token authorised it
     * @param user        the user who signed in for the DCR token; empty when none did
     * @param certificate the client certificate the request came with over mutual TLS; empty when none
     */
    public record Registrant(String kind, Optional<String> client, Optional<String> user, Optional<Certificate> certificate) {
        public Registrant {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    /**
     * A client certificate (RFC 8705).
     *
     * @param subjectDn  its subject, as an RFC 4514 string
     * @param issuerDn   its issuer, as an RFC 4514 string
     * @param thumbprint the RFC 8705 §3.1 {@code x5t#S256} thumbprint (base64url SHA-256 of the DER encoding)
     */
    public record Certificate(String subjectDn, String issuerDn, String thumbprint) {
        public Certificate {
            Objects.requireNonNull(subjectDn, "subjectDn");
            Objects.requireNonNull(issuerDn, "issuerDn");
            Objects.requireNonNull(thumbprint, "thumbprint");
        }
    }
}
