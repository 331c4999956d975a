package io.registrar.registration;

import io.registrar.clientauth.ClientCertificate;
import io.registrar.clientauth.TrustedIssuers;
import io.registrar.crypto.CertificateIdentity;
import io.registrar.oauth.OAuthException;
import io.registrar.policy.Registrant;
import io.registrar.store.AccessToken;
import io.registrar.store.Consumption;
import io.registrar.token.AccessTokens;
import io.registrar.token.TokenService;

import java.util.Optional;
import java.util.Set;

/**
 * A bearer access token with scope {@code dcr}: issued to an initial client
 * (client_authenticates), or to a registration client after a user signed in (user_authenticates).
 * A token with a count of registrations gives up one per registration.
 */
public final class DcrTokenAuthorizer implements RegistrationAuthorizer {

    private final AccessTokens accessTokens;
    private final Set<Registrant.Kind> enabled;
    private final TrustedIssuers certificateIssuers;

    /**
     * @param certificateIssuers the CAs a certificate presented with the token must chain to for it to be
     *                           recorded (the registration issuers, else the token endpoint's)
     */
    public DcrTokenAuthorizer(AccessTokens accessTokens, Set<Registrant.Kind> enabled, TrustedIssuers certificateIssuers) {
        this.accessTokens = accessTokens;
        this.enabled = Set.copyOf(enabled);
        this.certificateIssuers = certificateIssuers;
    }

    /** RFC 6750 §3.1: an invalid token → 401 invalid_token; a valid one without scope dcr → 403 insufficient_scope. */
    @Override
    public Optional<Authorization> authorize(Caller caller) {
        if (caller.bearerToken().absent()) {
            return Optional.empty();
        }
        AccessToken token = accessTokens.requireScope(caller.bearerToken(), TokenService.DCR_SCOPE);
        if (token.registrationsLeft() != null && token.registrationsLeft() <= 0) {
            throw OAuthException.invalidToken("The access token has no registrations left");
        }
        // A DCR token with a subject came from a user's login through a registration client.
        Registrant.Kind kind = token.subject() != null ? Registrant.Kind.USER_AUTHENTICATES : Registrant.Kind.CLIENT_AUTHENTICATES;
        if (!enabled.contains(kind)) {
            throw OAuthException.invalidToken("Registration authorised this way (" + kind.dbValue() + ") is disabled on this server");
        }
        Consumption consumes = token.registrationsLeft() == null ? Consumption.NOTHING : new Consumption.DcrTokenUse(token.tokenHash());
        // Issue 20 §2: a token presented over mutual TLS records the certificate, to which the
        // registration access token may then be bound. Only a certificate of a trusted issuer: what is
        // recorded, profiles, rules and plug-ins (certificate.subject, certificate.issuer) and operators
        // take as checked. The TLS handshake accepts any certificate.
        return Optional.of(new Authorization(new Registrant(kind, token.clientId(), token.subject(), trusted(caller.certificate())),
                consumes));
    }

    @Override
    public Optional<Authorization> describe(DescribedRegistrant d) {
        if (d.kind() == Registrant.Kind.MUTUAL_TLS) {
            return Optional.empty();
        }
        if (!enabled.contains(d.kind())) {
            throw OAuthException.invalidToken("Registration authorised this way (" + d.kind().dbValue() + ") is disabled on this server");
        }
        if (d.kind() == Registrant.Kind.USER_AUTHENTICATES && (d.user() == null || d.user().isBlank())) {
            throw OAuthException.invalidRequest("A user_authenticates registrant names the user who signed in (registrant.user)");
        }
        return Optional.of(new Authorization(new Registrant(d.kind(), d.client(),
                d.kind() == Registrant.Kind.USER_AUTHENTICATES ? d.user() : null,
                trusted(d.certificate())), Consumption.NOTHING));
    }

    private CertificateIdentity trusted(ClientCertificate certificate) {
        return certificate != null && certificateIssuers.verify(certificate).isEmpty() ? certificate.identity() : null;
    }
}
