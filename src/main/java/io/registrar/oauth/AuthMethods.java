package io.registrar.oauth;

import java.util.ArrayList;
import java.util.List;

/** The client authentication methods and assertion algorithms this server implements, for discovery and validation. */
public final class AuthMethods {

    /** private_key_jwt: asymmetric algorithms only — never none, never an HMAC (the key is public). */
    public static final List<String> PRIVATE_KEY_JWT_ALGS = List.of("RS256", "PS256", "ES256", "EdDSA");
    /** client_secret_jwt: HMAC with SHA-2 (RFC 7518 §3.2). */
    public static final List<String> CLIENT_SECRET_JWT_ALGS = List.of("HS256", "HS384", "HS512");
    /** RFC 8705 §2: need a client certificate, so they exist only while mTLS is enabled. */
    public static final List<String> CERTIFICATE_METHODS = List.of("tls_client_auth", "self_signed_tls_client_auth");

    private AuthMethods() {
    }

    /** Methods a client can authenticate with at the token, introspection and revocation endpoints. */
    public static List<String> supported(boolean mtls) {
        List<String> out = new ArrayList<>(List.of("client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"));
        if (mtls) {
            out.addAll(CERTIFICATE_METHODS);
        }
        return List.copyOf(out);
    }

    /** token_endpoint_auth_signing_alg_values_supported (RFC 8414 §2). */
    public static List<String> signingAlgs() {
        List<String> out = new ArrayList<>(PRIVATE_KEY_JWT_ALGS);
        out.addAll(CLIENT_SECRET_JWT_ALGS);
        return List.copyOf(out);
    }

    /** The algorithms a client of {@code method} may sign its assertions with. */
    public static List<String> algsFor(String method) {
        return switch (String.valueOf(method)) {
            case "private_key_jwt" -> PRIVATE_KEY_JWT_ALGS;
            case "client_secret_jwt" -> CLIENT_SECRET_JWT_ALGS;
            default -> List.of();
        };
    }
}
