package io.registrar.metadata;

import io.registrar.oauth.OAuthException;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Redirect URI rules per {@code application_type} (OpenID Connect DCR 1.0 §2, RFC 8252 for native
 * apps). Stateless; every failure is {@code invalid_redirect_uri} naming the offending value.
 */
public final class RedirectUriRules {

    /** Schemes that execute or embed content; never a redirect target (RFC 6749 §10.6, OAuth 2.0 Security BCP §4.1). */
    private static final Set<String> DANGEROUS_SCHEMES = Set.of("javascript", "data", "vbscript", "file", "about", "blob");
    private static final Set<String> LOOPBACK_IPS = Set.of("127.0.0.1", "[::1]");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private RedirectUriRules() {
    }

    /**
     * @param field                     the parameter name for messages ({@code redirect_uris} or
     *                                  {@code post_logout_redirect_uris})
     * @param allowHttpLocalhostForWeb  development setting: http://localhost for web clients
     */
    public static void check(String field, String value, String applicationType, boolean allowHttpLocalhostForWeb) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw OAuthException.invalidRedirectUri(field + ": '" + value + "' is not a valid URI");
        }
        if (!uri.isAbsolute()) {
            throw OAuthException.invalidRedirectUri(field + ": '" + value + "' must be an absolute URI");
        }
        // RFC 6749 §3.1.2: the endpoint URI MUST NOT include a fragment component.
        if (uri.getRawFragment() != null || value.contains("#")) {
            throw OAuthException.invalidRedirectUri(field + ": '" + value + "' must not contain a fragment");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (DANGEROUS_SCHEMES.contains(scheme)) {
            throw OAuthException.invalidRedirectUri(field + ": the scheme '" + scheme + "' is not allowed");
        }
        if ("native".equals(applicationType)) {
            checkNative(field, value, uri, scheme);
        } else {
            checkWeb(field, value, uri, scheme, allowHttpLocalhostForWeb);
        }
    }

    /**
     * Whether a redirect_uri sent to the authorization endpoint is the registered one: simple string
     * comparison (RFC 6749 §3.1.2.3, RFC 3986 §6.2.1; OAuth 2.0 Security BCP §4.1.3), except that a
     * native client's loopback http redirect URI matches on any port, which the app picks when it
     * starts listening (RFC 8252 §7.3).
     */
    public static boolean matches(String registered, String presented, boolean nativeClient) {
        if (registered.equals(presented)) {
            return true;
        }
        if (!nativeClient || !presented.startsWith("http://")) {
            return false;
        }
        try {
            URI r = new URI(registered);
            URI p = new URI(presented);
            return "http".equals(r.getScheme()) && "http".equals(p.getScheme())
                    && LOOPBACK_IPS.contains(r.getHost()) && r.getHost().equals(p.getHost())
                    && r.getRawUserInfo() == null && p.getRawUserInfo() == null
                    && java.util.Objects.equals(r.getRawPath(), p.getRawPath())
                    && java.util.Objects.equals(r.getRawQuery(), p.getRawQuery())
                    && p.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void checkWeb(String field, String value, URI uri, String scheme, boolean allowHttpLocalhost) {
        // OpenID Connect DCR 1.0 §2 (application_type): web clients MUST use https ...
        if ("https".equals(scheme)) {
            requireHost(field, value, uri);
            return;
        }
        if ("http".equals(scheme)) {
            requireHost(field, value, uri);
            // ... localhost over http is a development convenience, off unless configured.
            if (allowHttpLocalhost && isLocalhost(uri.getHost())) {
                return;
            }
            throw OAuthException.invalidRedirectUri(field + ": '" + value
                    + "' must use https (web clients; OpenID Connect DCR 1.0 §2)");
        }
        throw OAuthException.invalidRedirectUri(field + ": '" + value
                + "' must be an https URL; custom schemes are for application_type native");
    }

    private static void checkNative(String field, String value, URI uri, String scheme) {
        if ("http".equals(scheme)) {
            requireHost(field, value, uri);
            // RFC 8252 §7.3: loopback interface redirection uses the IP literal; §8.3: "localhost" is NOT RECOMMENDED.
            if (LOOPBACK_IPS.contains(uri.getHost())) {
                return;
            }
            if ("localhost".equalsIgnoreCase(uri.getHost())) {
                throw OAuthException.invalidRedirectUri(field + ": '" + value
                        + "' uses localhost; use the loopback IP literal 127.0.0.1 or [::1] (RFC 8252 §8.3)");
            }
            throw OAuthException.invalidRedirectUri(field + ": '" + value
                    + "' uses http with a host other than the loopback interface (RFC 8252 §7.3)");
        }
        if ("https".equals(scheme)) {
            requireHost(field, value, uri);
            // RFC 8252 §7.2: a claimed https redirect is a real host the app has claimed; the loopback
            // interface cannot be claimed, and loopback redirects are http on an IP literal (§7.3, §8.3).
            if (isLoopback(uri.getHost())) {
                throw OAuthException.invalidRedirectUri(field + ": '" + value + "' is https on the loopback interface; "
                        + "a claimed https redirect needs a real host (RFC 8252 §7.2), and a loopback redirect is "
                        + "http://127.0.0.1 or http://[::1] with any port (RFC 8252 §7.3)");
            }
            return;
        }
        // RFC 8252 §7.1: private-use URI schemes are reverse domain names, e.g. com.example.app:/cb.
        if (!scheme.contains(".")) {
            throw OAuthException.invalidRedirectUri(field + ": the private-use scheme '" + scheme
                    + "' must be a reverse domain name such as com.example.app (RFC 8252 §7.1)");
        }
    }

    private static void requireHost(String field, String value, URI uri) {
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw OAuthException.invalidRedirectUri(field + ": '" + value + "' has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw OAuthException.invalidRedirectUri(field + ": '" + value + "' must not contain user information");
        }
    }

    /**
     * localhost and its subdomains (RFC 6761 §6.3, with or without the root's trailing dot), and any
     * IPv4 (127.0.0.0/8) or IPv6 (::1) loopback literal. Only literals are parsed: no name is resolved.
     */
    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            try {
                // A bracketed literal is parsed, never looked up (InetAddress.getByName on an IPv6 literal).
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return IPV4_LOOPBACK.matcher(h).matches();
    }

    private static boolean isLocalhost(String host) {
        return "localhost".equalsIgnoreCase(host) || LOOPBACK_IPS.contains(host);
    }
}
