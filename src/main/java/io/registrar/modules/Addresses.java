package io.registrar.modules;

import io.registrar.store.DynamicClient;

import io.registrar.config.RegistrarConfig;
import io.registrar.discovery.Endpoints;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;

/**
 * Where the server is: its issuer, the separate mTLS listener's base URL (or null), and the audiences a
 * client's assertion may name.
 */
public record Addresses(String issuer, String mtlsBase) {

    /** The configured issuer, or else this listener's own address (known only once it listens). */
    public static Addresses of(RegistrarConfig config, String scheme, int port, int mtlsPort) {
        String configured = config.issuer();
        String issuer = configured != null && !configured.isBlank() ? stripSlash(configured) : scheme + "://localhost:" + port;
        // RFC 8705 §5: the separate mTLS listener serves the same endpoints under the issuer's host.
        String mtlsBase = mtlsPort < 0 ? null : "https://" + URI.create(issuer).getHost() + ":" + mtlsPort;
        return new Addresses(issuer, mtlsBase);
    }

    /**
     * RFC 7523 §3: a client assertion's audience identifies the authorization server, by its issuer or
     * by the token endpoint's URL; the introspection and revocation endpoints, which authenticate
     * clients the same way, accept their own URLs too, on either listener, and so does the pushed
     * authorization request endpoint, as RFC 9126 §2 requires ("its issuer identifier, token endpoint
     * URL, or pushed authorization request endpoint URL").
     */
    public Set<String> assertionAudiences() {
        Set<String> audiences = new HashSet<>();
        for (String base : mtlsBase == null ? new String[] {issuer} : new String[] {issuer, mtlsBase}) {
            audiences.addAll(Set.of(base + Endpoints.TOKEN, base + Endpoints.INTROSPECTION, base + Endpoints.REVOCATION,
                    base + Endpoints.PUSHED_AUTHORIZATION_REQUEST));
        }
        audiences.add(issuer);
        return Set.copyOf(audiences);
    }

    /**
     * RFC 7591 §3.2.1: registration_client_uri, the client configuration endpoint of {@code client}. A
     * client whose registration access token is bound to its certificate (management.certificateBinding)
     * is managed on the separate mTLS listener, where the certificate is asked for: its RFC 8705 §5 alias.
     */
    public String registrationClientUri(DynamicClient client, boolean certificateBinding) {
        String base = certificateBinding && client.origin().certificate() != null && mtlsBase != null ? mtlsBase : issuer;
        return base + Endpoints.REGISTRATION + "/" + client.clientId();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
