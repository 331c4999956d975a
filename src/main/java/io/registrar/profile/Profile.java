package io.registrar.profile;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A security profile (PRODUCT.md, "security profiles"; issue 20 §6): a named, declarative bundle of what
 * a regulator prescribes for registering and for the clients registered, shipped as data
 * ({@code profiles/<name>.yaml}) and applied to a way of registering. Empty lists and null values
 * leave the server's own setting in force.
 *
 * @param source where each rule comes from, for the operator who must justify it
 */
public record Profile(String name, String title, String source, ClientRules clients, RegistrationRules registration,
                      ManagementRules management) {

    public Profile {
        Objects.requireNonNull(name, "name");
        title = title == null ? name : title;
        source = source == null ? "" : source;
        clients = clients == null ? ClientRules.NONE : clients;
        registration = registration == null ? RegistrationRules.NONE : registration;
        management = management == null ? ManagementRules.NONE : management;
    }

    /**
     * What the registered clients may be.
     *
     * @param authMethods         token_endpoint_auth_method values allowed (first: the default when none is asked for)
     * @param signingAlgs         JWS algorithms allowed wherever a client names one (ID tokens, assertions, request objects)
     * @param responseTypes       response_types allowed
     * @param grantTypes          grant_types allowed
     * @param httpsRedirectUris   every redirect URI is https
     * @param requirePkce         every authorization request carries a PKCE S256 challenge, confidential clients too
     * @param certificateBoundTokens the client's access tokens are bound to its certificate (RFC 8705 §3)
     * @param pushedAuthorizationRequests the client must use PAR (RFC 9126 §6, require_pushed_authorization_requests)
     * @param tlsClientAuthSubjectDn tls_client_auth only with tls_client_auth_subject_dn, no SAN parameter
     * @param jwksByValueRefused  keys by reference only (jwks_uri), never jwks
     * @param jwksUriFromStatement jwks_uri must equal the software statement's software_jwks_uri or software_jwks_endpoint
     * @param redirectUrisFromStatement redirect_uris must all be among the statement's software_redirect_uris
     */
    public record ClientRules(List<String> authMethods, List<String> signingAlgs, List<String> responseTypes,
                              List<String> grantTypes, boolean httpsRedirectUris, boolean requirePkce,
                              boolean certificateBoundTokens, boolean pushedAuthorizationRequests, boolean tlsClientAuthSubjectDn,
                              boolean jwksByValueRefused, boolean jwksUriFromStatement, boolean redirectUrisFromStatement) {
        static final ClientRules NONE = new ClientRules(null, null, null, null, false, false, false, false, false, false, false, false);

        public ClientRules {
            authMethods = authMethods == null ? List.of() : List.copyOf(authMethods);
            signingAlgs = signingAlgs == null ? List.of() : List.copyOf(signingAlgs);
            responseTypes = responseTypes == null ? List.of() : List.copyOf(responseTypes);
            grantTypes = grantTypes == null ? List.of() : List.copyOf(grantTypes);
        }
    }

    /**
     * How a registration under this profile must arrive.
     *
     * @param mutualTls          the registration comes over mutual TLS with a certificate of a trusted registration issuer
     * @param softwareStatement  a verified software statement on every registration
     * @param signedRequest      the registration is a signed request (application/jwt)
     * @param statementMaxAge    the statement's iat at most this old (null: the directory's own limit)
     * @param statementOnUpdate  a verified software statement on every PUT too
     * @param uniqueSoftwareId   one active registration per software_id
     */
    public record RegistrationRules(boolean mutualTls, boolean softwareStatement, boolean signedRequest, Duration statementMaxAge,
                                    boolean statementOnUpdate, boolean uniqueSoftwareId) {
        static final RegistrationRules NONE = new RegistrationRules(false, false, false, null, false, false);
    }

    /** @param rotateRegistrationAccessToken false: GET and PUT never rotate (null: management.rotate decides) */
    public record ManagementRules(Boolean rotateRegistrationAccessToken) {
        static final ManagementRules NONE = new ManagementRules(null);
    }
}
