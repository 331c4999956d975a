package io.registrar.rules;

import java.util.Map;
import java.util.Objects;

/**
 * What a rule's condition may look at besides the metadata: the operation ({@code register},
 * {@code update}), the registrant (kind, the client a DCR token was issued to, the user who signed in
 * for it), the registering client certificate's subject and issuer (RFC 4514 strings), and the
 * verified software statement's claims. Null: not there.
 */
public record Facts(String operation, String registrantKind, String client, String user, String certificateSubject,
                    String certificateIssuer, Map<String, Object> statementClaims) {
    public Facts {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(registrantKind, "registrantKind");
        statementClaims = statementClaims == null ? Map.of() : statementClaims;
    }
}
