package io.registrar.registration;

import io.registrar.policy.Registrant;
import io.registrar.store.Consumption;

import java.util.Optional;

/**
 * One way of authorising a registration (PRODUCT.md, "ways to authorise a registration"). The
 * service asks each configured way in turn; the first that applies to the caller decides.
 */
public interface RegistrationAuthorizer {

    /** Who registers, and what the registration uses up when it is stored. */
    record Authorization(Registrant registrant, Consumption consumes) {
    }

    /**
     * Empty when this way does not apply to the caller (it did not present what this way needs);
     * throws {@link io.registrar.oauth.OAuthException} when it applies and refuses.
     */
    Optional<Authorization> authorize(Caller caller);

    /**
     * Explain mode (issue 20 §5): the registrant an operator describes, judged as this way judges a
     * caller but with no credential presented, checked or used up (a registration explained uses up
     * nothing). Empty when the described registrant does not come in this way; throws when this way
     * refuses it (switched off, an untrusted certificate).
     */
    Optional<Authorization> describe(DescribedRegistrant described);
}
