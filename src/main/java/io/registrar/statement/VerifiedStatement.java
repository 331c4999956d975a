package io.registrar.statement;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A software statement whose signature, issuer, times, required claims and approval rules were all
 * checked (RFC 7591 §2.3): the compact JWS exactly as sent (the response echoes it unmodified) and its
 * claims, with the directory that issued it ({@code iss}).
 */
public record VerifiedStatement(String statement, Map<String, Object> claims) {
    public VerifiedStatement {
        Objects.requireNonNull(statement, "statement");
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }

    public String issuer() {
        return claims.get("iss") instanceof String s ? s : null;
    }
}
