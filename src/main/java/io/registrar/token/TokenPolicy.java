package io.registrar.token;

import java.time.Duration;
import java.util.Set;

/**
 * The token settings every grant reads: default lifetimes, the registration budget of a DCR token,
 * and which ways of authorising a registration are on (a DCR token is only issued for an enabled one).
 */
public record TokenPolicy(Duration accessTokenLifetime, Duration initialTokenLifetime, Duration refreshTokenLifetime,
                          int initialTokenUses, boolean clientAuthenticatesRegistration, boolean userAuthenticatesRegistration) {

    /** A DCR token's registrations; null means any number until it expires (0 configured uses). */
    public Integer registrationsLeft(Set<String> scopes) {
        return scopes.contains(TokenService.DCR_SCOPE) && initialTokenUses > 0 ? initialTokenUses : null;
    }
}
