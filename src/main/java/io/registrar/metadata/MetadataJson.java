package io.registrar.metadata;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import io.registrar.oauth.Json;
import io.registrar.oauth.OAuthError;
import io.registrar.oauth.OAuthException;

import java.util.Map;

/**
 * Parses a registration or update body into {@link ClientMetadata}. The Nimbus SDK does the
 * syntactic work (types, URI syntax, fragments and prohibited schemes in redirect URIs, language
 * tags); its parse errors already carry their RFC 7591 code. Parameters it does not know are
 * unrecognised metadata and are ignored, as RFC 7591 §2 requires: not stored, not echoed.
 */
public final class MetadataJson {

    private MetadataJson() {
    }

    public static ClientMetadata parse(Map<String, Object> body) {
        return parseWithExtensions(body).metadata();
    }

    /** Metadata, and the members beside it that no RFC this server implements defines. */
    public record Parsed(ClientMetadata metadata, Map<String, Object> extensions) {
    }

    /**
     * Parses as {@link #parse} does, and keeps the members it does not understand apart, for the
     * policies that may (a deployment's rules or plug-ins); they never reach the stored metadata.
     */
    public static Parsed parseWithExtensions(Map<String, Object> body) {
        rejectPrivateKeys(body.get("jwks"));
        OIDCClientMetadata parsed;
        try {
            parsed = OIDCClientMetadata.parse(Json.toJsonObject(body));
        } catch (ParseException e) {
            throw toOAuthException(e);
        } catch (RuntimeException e) {
            // Defensive: the SDK's setters throw IllegalArgumentException for some bad values.
            throw OAuthException.invalidClientMetadata("Invalid client metadata: " + e.getMessage());
        }
        Map<String, Object> document = parsed.toJSONObject(false);
        // RFC 7591 §2: "the authorization server MUST ignore any client metadata sent by the client
        // that it does not understand".
        Map<String, Object> extensions = new java.util.LinkedHashMap<>();
        parsed.getCustomFields().forEach((name, value) -> {
            document.remove(name);
            extensions.put(name, value);
        });
        return new Parsed(new ClientMetadata(document), extensions);
    }

    /**
     * RFC 7591 §2: jwks holds the client's public keys. The SDK would silently keep only the public
     * halves; a client that sent private key material has leaked it, so say so instead.
     */
    @SuppressWarnings("unchecked")
    private static void rejectPrivateKeys(Object jwks) {
        if (!(jwks instanceof Map<?, ?> set) || !(set.get("keys") instanceof java.util.List<?> keys)) {
            return; // absent or malformed: the SDK's parse reports the latter
        }
        for (Object k : keys) {
            if (k instanceof Map<?, ?> key) {
                try {
                    if (JWK.parse((Map<String, Object>) key).isPrivate()) {
                        throw OAuthException.invalidClientMetadata("jwks must contain public keys only; a private key was sent");
                    }
                } catch (java.text.ParseException e) {
                    throw OAuthException.invalidClientMetadata("jwks is not a valid JWK Set: " + e.getMessage());
                }
            }
        }
    }

    private static OAuthException toOAuthException(ParseException e) {
        var error = e.getErrorObject();
        String description = e.getMessage() != null ? e.getMessage() : "Invalid client metadata";
        if (error != null && RegistrationError.INVALID_REDIRECT_URI.getCode().equals(error.getCode())) {
            return OAuthException.of(OAuthError.INVALID_REDIRECT_URI, description);
        }
        return OAuthException.of(OAuthError.INVALID_CLIENT_METADATA, description);
    }
}
