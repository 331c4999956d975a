package io.registrar.metadata;

import io.registrar.oauth.Scopes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Client metadata (RFC 7591 §2, OpenID Connect DCR 1.0 §2): what a client asked for, or what is
 * stored. Immutable; held as the RFC-named JSON document so that every registered parameter,
 * language-tagged variants included ({@code client_name#ja-Jpan-JP}), round-trips unchanged. Typed
 * accessors read the parameters the server acts on. {@code null} from an accessor means "not sent";
 * {@code DefaultsPolicy} is the one place that fills gaps.
 */
public record ClientMetadata(Map<String, Object> document) {

    /** OpenID Connect DCR 1.0 §2: id_token_signed_response_alg, when omitted, is RS256. */
    public static final String DEFAULT_ID_TOKEN_SIGNED_RESPONSE_ALG = "RS256";

    public ClientMetadata {
        document = freeze(Objects.requireNonNull(document, "document"));
    }

    public static ClientMetadata empty() {
        return new ClientMetadata(Map.of());
    }

    public boolean has(String param) {
        return document.containsKey(param);
    }

    public String string(String param) {
        Object v = document.get(param);
        return v instanceof String s ? s : null;
    }

    /** A list-of-strings parameter, or null when absent. */
    public List<String> strings(String param) {
        Object v = document.get(param);
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(String.valueOf(o));
            }
            return Collections.unmodifiableList(out);
        }
        return null;
    }

    public List<String> redirectUris() {
        return strings(Param.REDIRECT_URIS);
    }

    public List<String> grantTypes() {
        return strings(Param.GRANT_TYPES);
    }

    public List<String> responseTypes() {
        return strings(Param.RESPONSE_TYPES);
    }

    public String authMethod() {
        return string(Param.TOKEN_ENDPOINT_AUTH_METHOD);
    }

    /** The algorithm the client's ID tokens are signed with: the registered one, else {@link #DEFAULT_ID_TOKEN_SIGNED_RESPONSE_ALG}. */
    public String idTokenSignedResponseAlg() {
        String alg = string(Param.ID_TOKEN_SIGNED_RESPONSE_ALG);
        return alg == null ? DEFAULT_ID_TOKEN_SIGNED_RESPONSE_ALG : alg;
    }

    public String applicationType() {
        return string(Param.APPLICATION_TYPE);
    }

    /** The space-separated scope value as a list (RFC 6749 §3.3), or null when absent. */
    public List<String> scopes() {
        String s = string(Param.SCOPE);
        return s == null ? null : Scopes.parse(s);
    }

    /** Whether the registered auth method means the client holds a shared secret. */
    public boolean usesSecret() {
        String m = authMethod();
        return "client_secret_basic".equals(m) || "client_secret_post".equals(m) || "client_secret_jwt".equals(m);
    }

    /** client_secret_jwt: the server recomputes the client's HMAC, so it must be able to read the secret back. */
    public boolean secretMustBeReadable() {
        return "client_secret_jwt".equals(authMethod());
    }

    public ClientMetadata with(String param, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(document);
        copy.put(param, value);
        return new ClientMetadata(copy);
    }

    public ClientMetadata without(String param) {
        if (!document.containsKey(param)) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(document);
        copy.remove(param);
        return new ClientMetadata(copy);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> freeze(Map<String, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, freezeValue(v)));
        return Collections.unmodifiableMap(out);
    }

    @SuppressWarnings("unchecked")
    private static Object freezeValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return freeze((Map<String, ?>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(freezeValue(o));
            }
            return Collections.unmodifiableList(out);
        }
        return v;
    }
}
