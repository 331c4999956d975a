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
}
