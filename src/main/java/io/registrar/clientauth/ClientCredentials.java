package io.registrar.clientauth;

/**
 * The client credentials a token-endpoint-style request carried (RFC 6749 §2.3.1), as read by the
 * HTTP layer. {@code method} is how they were sent.
 */
public record ClientCredentials(String clientId, String clientSecret, Method method) {

    public enum Method {
        /** HTTP Basic (client_secret_basic). */
        BASIC("client_secret_basic"),
        /** client_id and client_secret in the form body (client_secret_post). */
        POST("client_secret_post"),
        /** client_id alone (token_endpoint_auth_method none). */
        NONE("none");

        private final String authMethod;

        Method(String authMethod) {
            this.authMethod = authMethod;
        }

        public String authMethod() {
            return authMethod;
        }
    }
}
