package io.registrar.oauth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The server's OAuth vocabulary: the client authentication methods, grant and response types and
 * algorithms this build implements (the constants), and, as an instance built from the configuration
 * at start-up, those a deployment has enabled. Metadata validation, discovery and client
 * authentication all read the one instance, so that narrowing it narrows what is accepted, what is
 * advertised and what authenticates, together.
 *
 * @param clientAuthMethods       methods a client authenticates with at the token, introspection and
 *                                revocation endpoints (RFC 8414 token_endpoint_auth_methods_supported)
 * @param registrationAuthMethods token_endpoint_auth_method values a dynamic client may register (RFC 7591 §2)
 * @param grantTypes              grant_types_supported (RFC 8414 §2)
 * @param responseTypes           response_types_supported
 * @param idTokenAlgs             id_token_signing_alg_values_supported (OpenID Connect Discovery §3)
 * @param privateKeyJwtAlgs       private_key_jwt assertion algorithms (RFC 7523)
 * @param clientSecretJwtAlgs     client_secret_jwt assertion algorithms
 * @param codeChallengeMethods    code_challenge_methods_supported (RFC 7636)
 */
public record Vocabulary(List<String> clientAuthMethods, List<String> registrationAuthMethods, List<String> grantTypes,
                         List<String> responseTypes, List<String> idTokenAlgs, List<String> privateKeyJwtAlgs,
                         List<String> clientSecretJwtAlgs, List<String> codeChallengeMethods) {

    /** RFC 6749 §2.3.1 and OpenID Connect Core §9: the methods that prove a shared secret. */
    public static final List<String> SECRET_METHODS = List.of("client_secret_basic", "client_secret_post", "client_secret_jwt");
    /** RFC 8705 §2: they need a client certificate, so they exist only while mTLS is enabled. */
    public static final List<String> CERTIFICATE_METHODS = List.of("tls_client_auth", "self_signed_tls_client_auth");
    /** Every token_endpoint_auth_method this build implements; {@code none} is a public client's. */
    public static final List<String> AUTH_METHODS = List.of("client_secret_basic", "client_secret_post", "client_secret_jwt",
            "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth", "none");
    /** What the token endpoint implements. */
    public static final List<String> GRANT_TYPES = List.of("authorization_code", "refresh_token", "client_credentials");
    /** The authorization endpoint serves the code flow only (no implicit or hybrid). */
    public static final List<String> RESPONSE_TYPES = List.of("code");
    public static final List<String> ID_TOKEN_ALGS = List.of("RS256", "PS256", "ES256");
    /** private_key_jwt: asymmetric algorithms only — never none, never an HMAC (the key is public). */
    public static final List<String> PRIVATE_KEY_JWT_ALGS = List.of("RS256", "PS256", "ES256", "EdDSA");
    /** client_secret_jwt: HMAC with SHA-2 (RFC 7518 §3.2). */
    public static final List<String> CLIENT_SECRET_JWT_ALGS = List.of("HS256", "HS384", "HS512");
    /** RFC 7636 §4.2: S256 only; plain would give the verifier away to whoever sees the request. */
    public static final List<String> CODE_CHALLENGE_METHODS = List.of("S256");

    public Vocabulary {
        clientAuthMethods = List.copyOf(clientAuthMethods);
        registrationAuthMethods = List.copyOf(registrationAuthMethods);
        grantTypes = List.copyOf(grantTypes);
        responseTypes = List.copyOf(responseTypes);
        idTokenAlgs = List.copyOf(idTokenAlgs);
        privateKeyJwtAlgs = List.copyOf(privateKeyJwtAlgs);
        clientSecretJwtAlgs = List.copyOf(clientSecretJwtAlgs);
        codeChallengeMethods = List.copyOf(codeChallengeMethods);
    }

    /**
     * What a deployment enables: everything implemented, less the certificate methods without mTLS;
     * dynamic clients may register the configured {@code registration.authMethods} among those.
     */
    public static Vocabulary of(boolean mtls, Collection<String> registrationAuthMethods) {
        List<String> clientMethods = new ArrayList<>(AUTH_METHODS);
        clientMethods.remove("none");
        if (!mtls) {
            clientMethods.removeAll(CERTIFICATE_METHODS);
        }
        List<String> registrable = AUTH_METHODS.stream()
                .filter(m -> registrationAuthMethods.contains(m) && (clientMethods.contains(m) || m.equals("none")))
                .toList();
        return new Vocabulary(clientMethods, registrable, GRANT_TYPES, RESPONSE_TYPES, ID_TOKEN_ALGS, PRIVATE_KEY_JWT_ALGS,
                CLIENT_SECRET_JWT_ALGS, CODE_CHALLENGE_METHODS);
    }

    /**
     * This vocabulary as a security profile narrows it (issue 20 §6), for what discovery advertises when
     * the server's default profile is set: only the methods and algorithms both allow (an empty list
     * narrows nothing). Static clients keep authenticating as configured; the profile's rules bind
     * what dynamic clients may register. ID token algorithms are not narrowed: OpenID Connect
     * Discovery 1.0 §3 requires RS256 among them, and static clients still get RS256 ID tokens.
     */
    public Vocabulary narrowedTo(List<String> authMethods, List<String> algorithms) {
        return new Vocabulary(keep(clientAuthMethods, authMethods), keep(registrationAuthMethods, authMethods), grantTypes, responseTypes,
                idTokenAlgs, keep(privateKeyJwtAlgs, algorithms), keep(clientSecretJwtAlgs, algorithms), codeChallengeMethods);
    }

    private static List<String> keep(List<String> values, List<String> allowed) {
        return allowed.isEmpty() ? values : values.stream().filter(allowed::contains).toList();
    }

    /** The algorithms a client of {@code method} may sign its assertions with (none for the other methods). */
    public List<String> assertionAlgsFor(String method) {
        return switch (String.valueOf(method)) {
            case "private_key_jwt" -> privateKeyJwtAlgs;
            case "client_secret_jwt" -> clientSecretJwtAlgs;
            default -> List.of();
        };
    }

    /** token_endpoint_auth_signing_alg_values_supported (RFC 8414 §2): every assertion algorithm. */
    public List<String> assertionAlgs() {
        List<String> out = new ArrayList<>(privateKeyJwtAlgs);
        out.addAll(clientSecretJwtAlgs);
        return List.copyOf(out);
    }

    /** Whether the client authentication endpoints accept {@code method} (a public client's "none" aside). */
    public boolean authenticatesWith(String method) {
        return clientAuthMethods.contains(method);
    }
}
