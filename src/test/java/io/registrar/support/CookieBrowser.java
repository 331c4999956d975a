package io.registrar.support;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser as far as the authorization endpoint cares, for HTTP-level tests: it keeps cookies (Secure
 * ones too, as browsers do on localhost) and never follows redirects, so each step can be checked.
 * The real-browser test is {@code it.MobileAppInChromiumIT}.
 */
public final class CookieBrowser {

    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final TestHttp http;
    private final Map<String, String> cookies;
    private final String forwardedFor;
    public final List<String> setCookieHeaders = new java.util.ArrayList<>();

    public CookieBrowser(TestHttp http) {
        this(http, new LinkedHashMap<>(), null);
    }

    private CookieBrowser(TestHttp http, Map<String, String> cookies, String forwardedFor) {
        this.http = http;
        this.cookies = cookies;
        this.forwardedFor = forwardedFor;
    }

    /** The same browser (same cookies) talking to another node behind the same name. */
    public CookieBrowser on(TestHttp other) {
        return new CookieBrowser(other, cookies, forwardedFor);
    }

    /**
     * A new browser at {@code address}, as a trusted proxy (server.trustedProxies: 127.0.0.1) reports it
     * in X-Forwarded-For.
     */
    public static CookieBrowser at(TestHttp http, String address) {
        return new CookieBrowser(http, new LinkedHashMap<>(), address);
    }

    public TestHttp.Response get(String pathOrUrl) {
        return keep(http.send("GET", pathOrUrl, headers(null), null));
    }

    public TestHttp.Response postForm(String path, Map<String, String> form) {
        return keep(http.send("POST", path, headers("application/x-www-form-urlencoded"), TestHttp.formBody(form)));
    }

    /** Fills in and submits the login form of {@code page}. */
    public TestHttp.Response signIn(TestHttp.Response page, String username, String password) {
        assertEquals(200, page.status(), page.body());
        Map<String, String> form = hiddenFields(page.body());
        form.put("username", username);
        form.put("password", password);
        return postForm("/login", form);
    }

    public static Map<String, String> hiddenFields(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            out.put(m.group(1), unescape(m.group(2)));
        }
        return out;
    }

    public boolean hasCookie(String name) {
        return cookies.containsKey(name);
    }

    public void forget(String cookie) {
        cookies.remove(cookie);
    }

    /** The query parameters of a 303's Location. */
    public static Map<String, String> redirectParams(TestHttp.Response r) {
        assertEquals(303, r.status(), r.body());
        String location = r.header("Location");
        assertNotNull(location);
        String query = URI.create(location).getRawQuery();
        Map<String, String> out = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    public static void assertLoginPage(TestHttp.Response r) {
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("name=\"password\""), r.body());
    }

    private Map<String, String> headers(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        if (!cookies.isEmpty()) {
            h.put("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        if (forwardedFor != null) {
            h.put("X-Forwarded-For", forwardedFor);
        }
        return h;
    }

    private TestHttp.Response keep(TestHttp.Response r) {
        for (String header : r.headers().allValues("Set-Cookie")) {
            setCookieHeaders.add(header);
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (value.isEmpty() || header.contains("Max-Age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return r;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
