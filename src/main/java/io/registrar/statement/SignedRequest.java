package io.registrar.statement;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A verified signed registration request (application/jwt): {@code body}, the registration metadata it
 * carries (its claims without the JWT's own: iss, aud, exp, iat, nbf, jti), all its {@code claims} for
 * the policies, and the software statement inside it, verified.
 */
public record SignedRequest(Map<String, Object> body, Map<String, Object> claims, VerifiedStatement statement, String algorithm) {
    public SignedRequest {
        body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }
}
