package io.registrar.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import net.minidev.json.JSONObject;
import net.minidev.json.JSONStyle;
import net.minidev.json.JSONValue;

import java.util.Map;

/** JSON on the wire, through the same parser the Nimbus SDK uses for metadata. */
public final class Json {

    private Json() {
    }

    /**
     * Parses a JSON object; anything else is {@code error} (RFC 7591 §3.2.2 answers a malformed
     * registration body with invalid_client_metadata).
     */
    public static Map<String, Object> parseObject(String text, OAuthError error) {
        if (text == null || text.isBlank()) {
            throw OAuthException.of(error, "The request body must be a JSON object");
        }
        try {
            return JSONObjectUtils.parse(text);
        } catch (ParseException | RuntimeException e) {
            throw OAuthException.of(error, "The request body must be a JSON object");
        }
    }

    /** Strict JSON (quoted keys and values), without json-smart's default escaping of '/'. */
    private static final JSONStyle STYLE = new JSONStyle(JSONStyle.FLAG_PROTECT_4WEB);

    public static String write(Map<String, ?> object) {
        return JSONValue.toJSONString(object, STYLE);
    }

    public static JSONObject toJsonObject(Map<String, ?> map) {
        return new JSONObject(map);
    }
}
