package io.registrar.token;

import java.time.Duration;
import java.util.Set;

/**
 * The token settings every grant reads: default lifetimes, the registration budget of a DCR token,
 * and which ways of authorising a registration are on (a DCR token is only issued for an enabled one).
 */
public record TokenPolicy(Duration accessTokenLifetime, Duration initialTokenLifetime, Duration refreshTokenLifetime,
                          int initialTokenUses, boolean clientAuthenticatesRegistration, boolean userAuthenticatesRegistration) {

    /** A DCR token lives initialTokenLifetime; other tokens the client's own lifetime (its template's) or the default. */
    public Duration accessTokenLifetime(io.registrar.clientauth.RegisteredClient client, boolean dcr) {
        return dcr ? initialTokenLifetime
                : client.accessTokenLifetime() != null ? client.accessTokenLifetime() : accessTokenLifetime;
    }

    /** A DCR token's registrations; null means any number until it expires (0 configured uses). */
    public Integer registrationsLeft(Set<String> scopes) {
        return scopes.contains(TokenService.DCR_SCOPE) && initialTokenUses > 0 ? initialTokenUses : null;
    }
}
