package io.registrar.registration;

import io.registrar.clientauth.TrustedIssuers;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.Registrant;
import io.registrar.store.Consumption;
import io.registrar.token.PresentedToken;

import java.util.Optional;

/**
 * Registration authorised by mutual TLS alone (issue 20 §1; PRODUCT.md, "ways to authorise a
 * registration"): a client certificate, from the TLS handshake or the trusted proxy's header, that
 * chains to one of the trusted registration issuers (a directory's or an eIDAS issuer's CA) and is
 * valid now. The registrant is the certificate: its subject DN names it, and its subject, issuer and
 * thumbprint are stored with the client. A caller that sent a bearer token is judged by the token
 * alone (the DCR token way is asked first), so this applies only to callers without one.
 */
public final class MutualTlsAuthorizer implements RegistrationAuthorizer {

    private final TrustedIssuers issuers;

    public MutualTlsAuthorizer(TrustedIssuers issuers) {
        this.issuers = issuers;
    }

    @Override
    public Optional<Authorization> authorize(Caller caller) {
        if (!caller.bearerToken().absent() || caller.certificate() == null) {
            return Optional.empty();
        }
        issuers.verify(caller.certificate()).ifPresent(problem -> {
            throw OAuthException.invalidToken("The client certificate " + problem + " (registration.mutualTls.trustedIssuers)");
        });
        var identity = caller.certificate().identity();
        return Optional.of(new Authorization(new Registrant(Registrant.Kind.MUTUAL_TLS, identity.subjectDn(), null, identity),
                Consumption.NOTHING));
    }

    /** The described certificate, verified as a presented one is. */
    @Override
    public Optional<Authorization> describe(DescribedRegistrant d) {
        if (d.kind() != Registrant.Kind.MUTUAL_TLS) {
            return Optional.empty();
        }
        if (d.certificate() == null) {
            throw OAuthException.invalidRequest("A mutual_tls registrant is its certificate: give it (registrant.certificate, PEM)");
        }
        return authorize(new Caller(new PresentedToken(null, null), d.certificate(), null, null));
    }
}
