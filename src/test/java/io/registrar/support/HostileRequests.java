package io.registrar.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hostile requests against every endpoint that reads a header or a body (issue 21 §1): valid requests
 * with real credentials of a running server, and everything a {@link Choices} makes of them — other
 * Content-Types, Authorization headers, proxy certificate headers, odd and huge headers, mutated JSON,
 * forms and client assertions, random bytes. Two drivers share it: the seeded black-box FuzzIT
 * (java.util.Random) and the coverage-guided ServerFuzzTest (Jazzer).
 */
public final class HostileRequests {

    /** Where a request's variety comes from. */
    public interface Choices {
        /** A number in [0, n). */
        int pick(int n);

        /** One of {@code samples} as it is, mutated, or something else entirely, at most about {@code max} characters. */
        String text(int max, List<String> samples);
    }

    /** A request as written on the wire; {@code api} is false for the browser endpoints, whose answers are pages. */
    public record Request(String method, String path, Map<String, String> headers, String body, boolean api) {

        public byte[] wire(int port) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(oneLine(path)).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n");
            headers.forEach((name, value) -> head.append(oneLine(name)).append(": ").append(oneLine(value)).append("\r\n"));
            head.append("Content-Length: ").append(content.length).append("\r\n")
                    .append("Connection: close\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            return out.toByteArray();
        }

        /**
         * Whether the request line is method, target and version. A method or target that is empty or
         * holds white space leaves the line without "HTTP/1.1" at its end: an HTTP/0.9 request, which
         * the server answers with 505 (RFC 9110 §15.6.6).
         */
        public boolean hasVersion() {
            return !method.isEmpty() && !path.isEmpty() && method.chars().noneMatch(Character::isWhitespace)
                    && path.chars().noneMatch(Character::isWhitespace);
        }

        /** Framing (line ends) is this test's to decide; every other byte is the fuzzer's. */
        private static String oneLine(String s) {
            return s.replace('\r', ' ').replace('\n', ' ');
        }

        @Override
        public String toString() {
            String b = body == null ? "" : body;
            return method + " " + path + " " + headers + " body(" + b.length() + ")=" + (b.length() > 600 ? b.substring(0, 600) + "…" : b);
        }
    }

    /** What a running server issued, so that requests get past authentication to the parsing behind it. */
    public record Known(String clientId, String secret, String registrationToken, String dcrToken, String adminToken,
                        String accessToken, String certificateHeader) {

        /** Registers a client on {@code server} and collects its credentials and tokens. */
        public static Known of(TestServer server, String certificateHeader) {
            TestHttp.Response reg = server.http.register("""
                    {"client_name":"Fuzz","grant_types":["client_credentials"],"scope":"api"}""");
            String id = reg.string("client_id");
            String secret = reg.string("client_secret");
            return new Known(id, secret, reg.string("registration_access_token"), server.http.dcrToken(), server.http.adminToken(),
                    server.http.clientCredentialsToken(id, secret).string("access_token"), certificateHeader);
        }
    }

    /**
     * The server configuration the drivers fuzz: rotation off and DCR tokens good for any number of
     * registrations (so credentials stay valid), and a trusted proxy on 127.0.0.1 that forwards client
     * certificates in X-Client-Cert (so that header is read at all).
     */
    public static String serverYaml(java.nio.file.Path trustedIssuers) {
        return """
                server:
                  trustedProxies: [127.0.0.1]
                  mtls:
                    enabled: true
                    port: 0
                    proxyHeader: X-Client-Cert
                    trustedIssuers: ["%s"]
                management:
                  rotate: false
                registration:
                  initialTokenUses: 0
                """.formatted(trustedIssuers);
    }

    private final Known known;
    private final List<Endpoint> endpoints;
    private final List<String> contentTypes;
    private final List<String> authorizations;
    private final List<String> certificates;
    private final List<String> jsonBodies;
    private final List<String> formBodies;
    private static final List<String> ODD_HEADER_NAMES = List.of("X-Request-Id", "X-Forwarded-For", "Accept", "Cookie",
            "Origin", "Expect", "Accept-Charset", "Content-Encoding", "X-Client-Cert", "Authorization", "Content-Type", "Range");

    /** {@code authorization}: the header a well-meaning client would send here (null: none). */
    private record Endpoint(String method, String path, boolean json, boolean form, boolean api, String authorization) {
    }

    public HostileRequests(Known k) {
        this.known = k;
        String basic = TestHttp.basic(k.clientId(), k.secret());
        this.endpoints = List.of(
                new Endpoint("POST", "/register", true, false, true, "Bearer " + k.dcrToken()),
                new Endpoint("GET", "/register/" + k.clientId(), false, false, true, "Bearer " + k.registrationToken()),
                new Endpoint("PUT", "/register/" + k.clientId(), true, false, true, "Bearer " + k.registrationToken()),
                new Endpoint("DELETE", "/register/{fuzzed}", false, false, true, "Bearer " + k.registrationToken()),
                new Endpoint("POST", "/token", false, true, true, basic),
                new Endpoint("POST", "/introspect", false, true, true, basic),
                new Endpoint("POST", "/revoke", false, true, true, basic),
                new Endpoint("POST", "/par", false, true, true, basic),
                new Endpoint("GET", "/userinfo", false, false, true, "Bearer " + k.accessToken()),
                new Endpoint("POST", "/userinfo", false, true, true, "Bearer " + k.accessToken()),
                new Endpoint("GET", "/admin/clients?user=alice", false, false, true, "Bearer " + k.adminToken()),
                new Endpoint("GET", "/admin/clients/" + k.clientId(), false, false, true, "Bearer " + k.adminToken()),
                new Endpoint("POST", "/admin/clients/{fuzzed}/revoke", false, true, true, "Bearer " + k.adminToken()),
                new Endpoint("POST", "/admin/clients/{fuzzed}/enable", false, true, true, "Bearer " + k.adminToken()),
                new Endpoint("GET", "/admin/templates", false, false, true, "Bearer " + k.adminToken()),
                new Endpoint("PUT", "/admin/templates/{fuzzed}", true, false, true, "Bearer " + k.adminToken()),
                new Endpoint("GET", "/jwks", false, false, true, null),
                new Endpoint("GET", "/.well-known/openid-configuration", false, false, true, null),
                new Endpoint("POST", "/authorize", false, true, false, null),
                new Endpoint("POST", "/login", false, true, false, null),
                new Endpoint("POST", "/logout", false, true, false, null),
                new Endpoint("{fuzzed}", "{fuzzed}", true, true, true, null));
        this.contentTypes = List.of("application/json", "application/x-www-form-urlencoded", "application/json; charset=utf-8",
                "application/x-www-form-urlencoded; charset=UTF-8", "application/json; charset=bogus", "text/plain",
                "multipart/form-data; boundary=----x", "application/x-www-form-urlencoded;charset=\"utf-8\"", "", ";", "application/json;;");
        this.authorizations = List.of("Bearer " + k.dcrToken(), "Bearer " + k.adminToken(), "Bearer " + k.registrationToken(),
                "Bearer " + k.accessToken(), basic, "Basic " + basic.substring(6, basic.length() - 2), "Basic !!!", "Bearer ",
                "Basic", "bearer " + k.accessToken(), "DPoP " + k.accessToken(), "Bearer " + k.accessToken() + ", Basic x");
        this.certificates = List.of(k.certificateHeader(), "garbage", "-----BEGIN%20CERTIFICATE-----%0AMIIB%0A-----END%20CERTIFICATE-----",
                k.certificateHeader().replace("%0A", "\n"), "%");
        String assertion = assertion(k.clientId(), k.secret());
        this.jsonBodies = List.of(
                "{\"client_name\":\"Fuzz\",\"grant_types\":[\"client_credentials\"],\"scope\":\"api\"}",
                "{\"client_id\":\"" + k.clientId() + "\",\"client_name\":\"Fuzz 2\",\"grant_types\":[\"client_credentials\"]}",
                "{\"redirect_uris\":[\"https://app.example/cb\"],\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
                        + "\"response_types\":[\"code\"],\"token_endpoint_auth_method\":\"private_key_jwt\","
                        + "\"jwks\":{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                        + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}}",
                "{\"application_type\":\"native\",\"redirect_uris\":[\"com.example.app:/cb\",\"http://127.0.0.1/cb\"],"
                        + "\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\"],\"scope\":\"openid profile\"}",
                "{\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_subject_dn\":\"CN=fuzz,O=Example\","
                        + "\"grant_types\":[\"client_credentials\"],\"tls_client_certificate_bound_access_tokens\":true}",
                "{\"clientName\":\"Template\",\"grantTypes\":[\"client_credentials\"],\"scopes\":[\"api\"]}");
        this.formBodies = List.of(
                "grant_type=client_credentials&scope=api",
                "grant_type=client_credentials&client_id=" + enc(k.clientId()) + "&client_secret=" + enc(k.secret()),
                "grant_type=client_credentials&client_id=" + enc(k.clientId())
                        + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + assertion,
                "grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=x&client_id=" + enc(k.clientId()),
                "grant_type=refresh_token&refresh_token=abc&scope=openid",
                "token=" + enc(k.accessToken()) + "&token_type_hint=access_token",
                "token=" + enc(k.accessToken()) + "&client_id=" + enc(TestServer.RESOURCE_CLIENT) + "&client_secret=" + enc(TestServer.RESOURCE_SECRET),
                "response_type=code&client_id=" + enc(k.clientId()) + "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid&state=s",
                "username=alice&password=alice-password-1&csrf=x&request=abc",
                "id_token_hint=abc&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F&state=s",
                "reason=fuzz");
    }

    /** The next request. */
    public Request next(Choices c) {
        Endpoint e = endpoints.get(c.pick(endpoints.size()));
        String method = e.method().equals("{fuzzed}") ? c.text(12, List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")) : e.method();
        String path = e.path().equals("{fuzzed}")
                ? c.text(300, List.of("/register", "/token", "/register/" + known.clientId(), "/admin/clients/%00", "//token", "/token?x=1"))
                : e.path().replace("{fuzzed}", c.text(80, List.of(known.clientId(), "com.example.mobile", "..", "%2F", "x")));
        Map<String, String> headers = new LinkedHashMap<>();
        switch (c.pick(4)) {
            case 0 -> { }
            case 1 -> headers.put("Content-Type", e.json() ? "application/json" : "application/x-www-form-urlencoded");
            default -> headers.put("Content-Type", c.text(120, contentTypes));
        }
        switch (c.pick(5)) {
            case 0 -> { }
            case 1, 2 -> {
                if (e.authorization() != null) {
                    headers.put("Authorization", e.authorization());
                }
            }
            default -> headers.put("Authorization", c.text(600, authorizations));
        }
        if (c.pick(4) == 0) {
            headers.put("X-Client-Cert", c.text(4000, certificates));
        }
        if (c.pick(4) == 0) {
            String name = c.pick(3) == 0 ? c.text(40, ODD_HEADER_NAMES) : ODD_HEADER_NAMES.get(c.pick(ODD_HEADER_NAMES.size()));
            headers.putIfAbsent(name, c.text(c.pick(8) == 0 ? 20_000 : 200, List.of("x", "100-continue", "*/*", "a=b; c=d", "10.0.0.1, 127.0.0.1")));
        }
        String body = switch (c.pick(5)) {
            case 0 -> "";
            case 1 -> c.text(4000, formBodies);
            default -> c.text(8000, e.json() ? jsonBodies : e.form() ? formBodies : List.of(""));
        };
        return new Request(method, path, headers, body, e.api());
    }

    /**
     * Choices from a seeded {@link java.util.Random}: a sample as it is, mutated (bytes flipped, text
     * inserted, cut, repeated), or random text or bytes. The same seed makes the same requests.
     */
    public static Choices seeded(long seed) {
        java.util.Random random = new java.util.Random(seed);
        return new Choices() {
            @Override
            public int pick(int n) {
                return random.nextInt(n);
            }

            @Override
            public String text(int max, List<String> samples) {
                int roll = random.nextInt(20);
                if (roll < 8) {
                    return samples.get(random.nextInt(samples.size()));
                }
                if (roll < 17) {
                    return mutate(random, samples.get(random.nextInt(samples.size())), max);
                }
                StringBuilder s = new StringBuilder();
                int length = random.nextInt(Math.min(max, 512) + 1);
                boolean bytes = roll == 19;
                for (int i = 0; i < length; i++) {
                    s.append(bytes ? (char) random.nextInt(256) : (char) (0x20 + random.nextInt(0x5f)));
                }
                return s.toString();
            }
        };
    }

    private static final List<String> SPECIALS = List.of("%", "%ZZ", "%00", "\u0000", "\"", "{", "}", "[", "]", ",", ":", "=",
            "&", ";", "; charset=bogus", "null", "-1", "1e999", "\\", "\\u12", "\u00e9", "\ud83d", "\t", " ", "+", "..");

    private static String mutate(java.util.Random random, String sample, int max) {
        StringBuilder s = new StringBuilder(sample);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length() + 1);
            switch (random.nextInt(6)) {
                case 0 -> s.insert(at, SPECIALS.get(random.nextInt(SPECIALS.size())));
                case 1 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(16)));
                case 2 -> {
                    if (at < s.length()) {
                        s.setCharAt(at, (char) (s.charAt(at) ^ (1 << random.nextInt(8))));
                    }
                }
                case 3 -> s.setLength(at);
                case 4 -> {
                    int end = Math.min(s.length(), at + 1 + random.nextInt(32));
                    String part = s.substring(at, end);
                    s.insert(at, part.repeat(1 + random.nextInt(random.nextInt(50) == 0 ? 2_000 : 8)));
                }
                default -> s.insert(at, (char) random.nextInt(0x3000));
            }
        }
        return s.length() > max * 4 ? s.substring(0, max * 4) : s.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A client_secret_jwt assertion of the known client (RFC 7523 §3), as the form carries it. */
    private static String assertion(String clientId, String secret) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience("http://127.0.0.1/token")
                    .jwtID("fuzz").expirationTime(Date.from(Instant.now().plusSeconds(3600))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
