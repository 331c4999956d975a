package io.registrar.metadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Templatized DCR: a client made from a template is its own few values (client_id-level things such
 * as software_id, software_version, client_name when the template has none) overlaid with the
 * template's current settings. The template wins: every parameter it governs comes from the template
 * whatever the client sent, so a change to the template reaches every client at once and nothing is
 * copied. Pure functions; {@code TemplateOverlayTest} holds the table.
 */
public final class TemplateOverlay {

    /**
     * What a template governs even where it sets no value: how the client authenticates, where it may
     * redirect, what it may ask for. A client's own value for one of these is never kept.
     */
    public static final List<String> GOVERNED = List.of(Param.REDIRECT_URIS, Param.POST_LOGOUT_REDIRECT_URIS, Param.SCOPE,
            Param.GRANT_TYPES, Param.RESPONSE_TYPES, Param.TOKEN_ENDPOINT_AUTH_METHOD, Param.TOKEN_ENDPOINT_AUTH_SIGNING_ALG,
            Param.APPLICATION_TYPE, Param.ID_TOKEN_SIGNED_RESPONSE_ALG, Param.JWKS, Param.JWKS_URI,
            Param.TLS_CLIENT_AUTH_SUBJECT_DN, Param.TLS_CLIENT_AUTH_SAN_DNS, Param.TLS_CLIENT_AUTH_SAN_URI,
            Param.TLS_CLIENT_AUTH_SAN_IP, Param.TLS_CLIENT_AUTH_SAN_EMAIL, Param.TLS_CLIENT_CERTIFICATE_BOUND_ACCESS_TOKENS,
            Param.SUBJECT_TYPE, Param.SECTOR_IDENTIFIER_URI);

    private TemplateOverlay() {
    }

    /** The client as it is: its own values, minus what the template governs, plus the template's values. */
    public static ClientMetadata apply(ClientMetadata own, ClientMetadata template) {
        Map<String, Object> out = new LinkedHashMap<>(own(own, template).document());
        out.putAll(template.document());
        return new ClientMetadata(out);
    }

    /**
     * What is stored for a client made from {@code template}: only what the template neither governs nor
     * sets (language-tagged variants of a parameter the template sets included, e.g. client_name#fr).
     */
    public static ClientMetadata own(ClientMetadata metadata, ClientMetadata template) {
        Map<String, Object> out = new LinkedHashMap<>();
        metadata.document().forEach((name, value) -> {
            String base = name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
            if (!GOVERNED.contains(base) && !template.has(base)) {
                out.put(name, value);
            }
        });
        return new ClientMetadata(out);
    }
}
