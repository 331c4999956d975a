package io.registrar.token;

import io.registrar.clientauth.RegisteredClient;

import java.time.Duration;
import java.util.Set;

/**
 * The token settings every grant reads: default lifetimes, the registration budget of a DCR token
 * (the client's own {@code dcrToken} settings first, these as the defaults), and which ways of
 * authorising a registration are on (a DCR token is only issued for an enabled one), and how long a
 * rotated refresh token still gets its rotation's answer again (zero: never).
 */
public record TokenPolicy(Duration accessTokenLifetime, Duration initialTokenLifetime, Duration refreshTokenLifetime,
                          int initialTokenUses, boolean clientAuthenticatesRegistration, boolean userAuthenticatesRegistration,
                          Duration refreshTokenRotationLeeway) {

    /**
     * A DCR token lives the client's dcrToken.lifetime, else initialTokenLifetime; other tokens the
     * client's own lifetime (its template's) or the default.
     */
    public Duration accessTokenLifetime(RegisteredClient client, boolean dcr) {
        if (dcr) {
            return client.dcrToken().lifetime() != null ? client.dcrToken().lifetime() : initialTokenLifetime;
        }
        return client.accessTokenLifetime() != null ? client.accessTokenLifetime() : accessTokenLifetime;
    }

    /**
     * A DCR token's registrations: the client's dcrToken.uses, else initialTokenUses; null means any
     * number until it expires (0 uses).
     */
    public Integer registrationsLeft(RegisteredClient client, Set<String> scopes) {
        if (!scopes.contains(TokenService.DCR_SCOPE)) {
            return null;
        }
        int uses = client.dcrToken().uses() != null ? client.dcrToken().uses() : initialTokenUses;
        return uses > 0 ? uses : null;
    }
}
