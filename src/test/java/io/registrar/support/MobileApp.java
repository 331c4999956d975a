package io.registrar.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an app keeps between building an authorization URL and redeeming the code: PKCE, state, nonce. */
public final class MobileApp {

    public final String clientId;
    public final String redirectUri;
    public final String verifier = random(32);
    public final String state = random(16);
    public final String nonce = random(16);

    public MobileApp(String clientId, String redirectUri) {
        this.clientId = clientId;
        this.redirectUri = redirectUri;
    }

    /** RFC 7636 §4.2: S256. */
    public String challenge() {
        return s256(verifier);
    }

    public static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** /authorize?… for {@code scope}, with any {@code extra} parameters (overriding the defaults). */
    public String authorizePath(String scope, Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", redirectUri);
        p.put("scope", scope);
        p.put("state", state);
        p.put("nonce", nonce);
        p.put("code_challenge", challenge());
        p.put("code_challenge_method", "S256");
        p.putAll(extra);
        p.values().removeIf(v -> v == null);
        StringBuilder b = new StringBuilder("/authorize?");
        p.forEach((k, v) -> b.append(enc(k)).append('=').append(enc(v)).append('&'));
        return b.substring(0, b.length() - 1);
    }

    public String authorizePath(String scope) {
        return authorizePath(scope, Map.of());
    }

    /** The token request for {@code code}: a public client's (client_id in the body), or for Basic use with postFormBasic. */
    public Map<String, String> codeForm(String code, boolean publicClient) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("redirect_uri", redirectUri);
        f.put("code_verifier", verifier);
        if (publicClient) {
            f.put("client_id", clientId);
        }
        return f;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
