package io.registrar.registration;

import io.registrar.metadata.Param;
import io.registrar.store.DynamicClient;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client information response (RFC 7591 §3.2.1, RFC 7592 §3): client_id and the credentials
 * issued by this response (a registration access token with its registration_access_token_expires_in),
 * then every stored metadata value, so the client sees what was stored, and the software statement it
 * registered or last updated with.
 */
public final class ClientInformation {

    private ClientInformation() {
    }

    /**
     * @param clientSecret      the plain secret issued now, or null when none was issued
     * @param registrationToken the registration access token to hand back, or null (admin access)
     * @param now               the time of the response, from which the token's remaining lifetime counts
     */
    public static Map<String, Object> of(DynamicClient client, String clientSecret, String registrationToken,
                                         String registrationClientUri, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(Param.CLIENT_ID, client.clientId());
        if (clientSecret != null) {
            out.put(Param.CLIENT_SECRET, clientSecret);
        }
        out.put(Param.CLIENT_ID_ISSUED_AT, client.createdAt().getEpochSecond());
        if (client.secretHash() != null) {
            // RFC 7591 §3.2.1: REQUIRED if client_secret is issued; 0 means it does not expire.
            out.put(Param.CLIENT_SECRET_EXPIRES_AT,
                    client.secretExpiresAt() == null ? 0L : client.secretExpiresAt().getEpochSecond());
        }
        if (registrationToken != null) {
            out.put(Param.REGISTRATION_ACCESS_TOKEN, registrationToken);
            // How long it is good for GET and PUT: the whole lifetime when issued now, what remains of
            // it when handed back unrotated (management.rotate false). DELETE works longer.
            out.put(Param.REGISTRATION_ACCESS_TOKEN_EXPIRES_IN,
                    Math.max(0L, Duration.between(now, client.registrationTokenExpiresAt()).toSeconds()));
        }
        out.put(Param.REGISTRATION_CLIENT_URI, registrationClientUri);
        if (client.authenticatedUser() != null) {
            out.put(Param.AUTHENTICATED_USER, client.authenticatedUser());
        }
        client.metadata().document().forEach(out::putIfAbsent);
        if (client.origin().softwareStatement() != null) {
            // RFC 7591 §3.2.1: the statement is returned unmodified; its claims are among the metadata above.
            out.put(Param.SOFTWARE_STATEMENT, client.origin().softwareStatement());
        }
        return out;
    }
}
