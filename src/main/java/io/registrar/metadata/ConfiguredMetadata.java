package io.registrar.metadata;

import io.registrar.config.RegistrarConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clients and templates declared in configuration, in the RFC 7591 / RFC 8705 terms of registered
 * ones, so that every rule and every flow treats them alike. Unset keys are left out.
 */
public final class ConfiguredMetadata {

    private ConfiguredMetadata() {
    }

    /** A static client as metadata. */
    public static ClientMetadata of(RegistrarConfig.StaticClient c) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(Param.TOKEN_ENDPOINT_AUTH_METHOD, c.authMethod());
        doc.put(Param.SCOPE, String.join(" ", c.scopes()));
        doc.put(Param.GRANT_TYPES, c.grantTypes());
        doc.put(Param.RESPONSE_TYPES, c.grantTypes().contains("authorization_code") ? List.of("code") : List.of());
        doc.put(Param.APPLICATION_TYPE, c.applicationType() == null ? "web" : c.applicationType());
        putIfSet(doc, Param.REDIRECT_URIS, c.redirectUris());
        putIfSet(doc, Param.POST_LOGOUT_REDIRECT_URIS, c.postLogoutRedirectUris());
        putIfSet(doc, Param.JWKS, c.jwks());
        putIfSet(doc, Param.JWKS_URI, c.jwksUri());
        putIfSet(doc, Param.TLS_CLIENT_AUTH_SUBJECT_DN, c.tlsClientAuthSubjectDn());
        putIfSet(doc, Param.TLS_CLIENT_AUTH_SAN_DNS, c.tlsClientAuthSanDns());
        putIfSet(doc, Param.TLS_CLIENT_AUTH_SAN_URI, c.tlsClientAuthSanUri());
        putIfSet(doc, Param.TLS_CLIENT_AUTH_SAN_IP, c.tlsClientAuthSanIp());
        putIfSet(doc, Param.TLS_CLIENT_AUTH_SAN_EMAIL, c.tlsClientAuthSanEmail());
        doc.put(Param.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS, c.certificateBoundAccessTokens());
        if (c.requirePushedAuthorizationRequests()) {
            // Left out when false, as a registration's document leaves it out (RFC 9126 §6: false by default).
            doc.put(Param.REQUIRE_PUSHED_AUTHORIZATION_REQUESTS, true);
        }
        return new ClientMetadata(doc);
    }

    /** A template's settings as a registration body (parsed and validated like one before it is stored). */
    public static Map<String, Object> of(RegistrarConfig.Template t) {
        Map<String, Object> doc = new LinkedHashMap<>();
        putIfSet(doc, Param.CLIENT_NAME, t.clientName());
        putIfSet(doc, Param.APPLICATION_TYPE, t.applicationType());
        putIfSet(doc, Param.REDIRECT_URIS, t.redirectUris());
        putIfSet(doc, Param.POST_LOGOUT_REDIRECT_URIS, t.postLogoutRedirectUris());
        putIfSet(doc, Param.SCOPE, String.join(" ", t.scopes()));
        putIfSet(doc, Param.GRANT_TYPES, t.grantTypes());
        putIfSet(doc, Param.TOKEN_ENDPOINT_AUTH_METHOD, t.authMethod());
        putIfSet(doc, Param.ID_TOKEN_SIGNED_RESPONSE_ALG, t.idTokenSignedResponseAlg());
        return doc;
    }

    /** Leaves out null, blank strings and empty lists: configuration's way of saying "not set". */
    private static void putIfSet(Map<String, Object> doc, String param, Object value) {
        boolean unset = value == null || (value instanceof String s && s.isBlank()) || (value instanceof List<?> l && l.isEmpty());
        if (!unset) {
            doc.put(param, value);
        }
    }
}
