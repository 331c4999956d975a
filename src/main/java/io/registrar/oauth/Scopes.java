package io.registrar.oauth;

import java.util.Arrays;
import java.util.List;

/** The scope parameter (RFC 6749 §3.3). */
public final class Scopes {

    private Scopes() {
    }

    /**
     * RFC 6749 §3.3: a list of space-delimited, case-sensitive strings; their order does not matter and
     * a repeated one means nothing more, so each is kept once, in first-seen order.
     */
    public static List<String> parse(String scope) {
        return Arrays.stream(scope.trim().split(" +")).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
