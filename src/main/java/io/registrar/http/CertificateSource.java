package io.registrar.http;

import io.javalin.http.Context;
import io.registrar.clientauth.ClientCertificate;
import io.registrar.config.RegistrarConfig;
import io.registrar.oauth.OAuthException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The one place that knows where a client certificate came from (RFC 8705 §2): the TLS handshake of
 * this connection, or — behind a TLS-terminating proxy — a configured header, believed only when the
 * connection comes from a configured proxy address. Without that configuration the header is ignored,
 * so a client cannot claim a certificate by sending it.
 */
final class CertificateSource {

    /** Where Jetty's SecureRequestCustomizer puts the handshake's chain (Jakarta Servlet §3.10). */
    private static final String TLS_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final boolean enabled;
    private final String proxyHeader;
    private final TrustedProxies trustedProxies;

    CertificateSource(RegistrarConfig.Server server) {
        this.enabled = server.mtls().enabled();
        String header = server.mtls().proxyHeader();
        this.proxyHeader = header == null || header.isBlank() ? null : header.trim();
        this.trustedProxies = new TrustedProxies(server);
    }

    /** The client certificate of this request, or null. */
    ClientCertificate of(Context ctx) {
        if (!enabled) {
            return null;
        }
        if (ctx.req().getAttribute(TLS_ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
            return new ClientCertificate(List.of(chain));
        }
        if (proxyHeader == null || !trustedProxies.sentBy(ctx)) {
            return null;
        }
        return fromHeader(proxyHeader, ctx.header(proxyHeader));
    }

    /** The certificate in a proxy header's value, or null when there is none; 400 when it is not one. */
    static ClientCertificate fromHeader(String proxyHeader, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            // URL-encoded PEM (nginx $ssl_client_escaped_cert). A literal '+' is base64, not a space.
            return ClientCertificate.fromPem(URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("The " + proxyHeader + " header does not hold a URL-encoded PEM certificate");
        }
    }
}
