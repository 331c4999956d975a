package io.registrar.registration;

import io.registrar.clientauth.ClientCertificate;
import io.registrar.policy.Registrant;

import java.util.Objects;

/**
 * Explain mode (issue 20 §5): the registrant an operator describes instead of presenting its
 * credential: the way in, the initial (or registration) client a DCR token would have been issued to,
 * the user who would have signed in for it, and the registering client certificate (null: none; for
 * {@code mutual_tls} it is the credential itself and is verified as a real registration's would be).
 */
public record DescribedRegistrant(Registrant.Kind kind, String client, String user, ClientCertificate certificate) {
    public DescribedRegistrant {
        Objects.requireNonNull(kind, "kind");
    }
}
