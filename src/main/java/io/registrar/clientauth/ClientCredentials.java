package io.registrar.clientauth;

/**
 * What a request presented to authenticate its client (RFC 6749 §2.3, RFC 7523 §2.2, RFC 8705 §2), as
 * read by the HTTP layer. {@code method} is how the credentials were sent; {@code certificate} is the
 * client certificate of the connection, when there was one, whatever the method; {@code address} is
 * where the request came from (behind a trusted proxy, what it forwarded), which secret guessing is
 * throttled by.
 */
public record ClientCredentials(Method method, String clientId, String clientSecret, String assertionType,
                                String assertion, ClientCertificate certificate, String address) {

    /** RFC 7523 §2.2. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public enum Method {
        /** HTTP Basic (client_secret_basic). */
        BASIC,
        /** client_id and client_secret in the form body (client_secret_post). */
        POST,
        /** client_assertion and client_assertion_type (private_key_jwt, client_secret_jwt). */
        JWT,
        /** client_id alone: none, or tls_client_auth / self_signed_tls_client_auth with a certificate. */
        CLIENT_ID
    }

    public static ClientCredentials basic(String clientId, String secret, ClientCertificate certificate, String address) {
        return new ClientCredentials(Method.BASIC, clientId, secret, null, null, certificate, address);
    }

    public static ClientCredentials post(String clientId, String secret, ClientCertificate certificate, String address) {
        return new ClientCredentials(Method.POST, clientId, secret, null, null, certificate, address);
    }

    public static ClientCredentials jwt(String clientId, String assertionType, String assertion, ClientCertificate certificate,
                                        String address) {
        return new ClientCredentials(Method.JWT, clientId, null, assertionType, assertion, certificate, address);
    }

    public static ClientCredentials clientId(String clientId, ClientCertificate certificate, String address) {
        return new ClientCredentials(Method.CLIENT_ID, clientId, null, null, null, certificate, address);
    }

    public boolean usedBasic() {
        return method == Method.BASIC;
    }
}
