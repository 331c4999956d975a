package io.registrar.metadata;

import io.registrar.oauth.OAuthException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RFC 8252 and OpenID Connect DCR redirect URI rules, per application_type (and the dev setting). */
class RedirectUriRulesTest {

    @ParameterizedTest(name = "{0} {1} allowHttpLocalhost={2} → {3}")
    @CsvSource({
            "web,    https://app.example.com/cb,            false, ok",
            "web,    https://app.example.com:8443/cb?x=1,   false, ok",
            "web,    http://app.example.com/cb,             false, reject",
            "web,    http://localhost:3000/cb,              false, reject",
            "web,    http://localhost:3000/cb,              true,  ok",
            "web,    http://127.0.0.1:3000/cb,              true,  ok",
            "web,    http://app.example.com/cb,             true,  reject",
            "web,    com.example.app:/cb,                   false, reject",
            "web,    https://user:pw@app.example.com/cb,    false, reject",
            "web,    https:/no-host,                        false, reject",
            "native, com.example.app:/oauth2redirect,       false, ok",
            "native, com.example.app://callback,            false, ok",
            "native, myapp:/cb,                             false, reject",
            "native, http://127.0.0.1/cb,                   false, ok",
            "native, http://127.0.0.1:51004/cb,             false, ok",
            "native, http://[::1]/cb,                       false, ok",
            "native, http://localhost/cb,                   false, reject",
            "native, http://192.168.1.10/cb,                false, reject",
            "native, https://app.example.com/native-cb,     false, ok",
            "native, https://localhost/cb,                  false, reject",
            "native, https://LocalHost:8443/cb,             false, reject",
            "native, https://localhost./cb,                 false, reject",
            "native, https://app.localhost/cb,              false, reject",
            "native, https://127.0.0.1/cb,                  false, reject",
            "native, https://127.10.0.1:8443/cb,            false, reject",
            "native, https://[::1]/cb,                      false, reject",
            "native, https://[0:0:0:0:0:0:0:1]:8443/cb,     false, reject",
            "native, https://127.0.0.1.example.com/cb,      false, ok",
            "native, https://localhost.example.com/cb,      false, ok",
            "native, http://127.0.0.1.example.com/cb,       false, reject",
            "native, javascript:alert(1),                   false, reject",
            "native, vbscript:msgbox,                       false, reject",
            "native, file:///etc/passwd,                    false, reject",
            "web,    'data:text/html;base64,PGgxPg==',      false, reject",
            "web,    https://app.example.com/cb#frag,       false, reject",
            "web,    relative/path,                         false, reject",
            "web,    'https://app.example.com/a b',         false, reject",
    })
    void rule(String applicationType, String uri, boolean allowHttpLocalhost, String expected) {
        if ("ok".equals(expected)) {
            assertDoesNotThrow(() -> RedirectUriRules.check("redirect_uris", uri, applicationType, allowHttpLocalhost));
        } else {
            OAuthException e = assertThrows(OAuthException.class,
                    () -> RedirectUriRules.check("redirect_uris", uri, applicationType, allowHttpLocalhost));
            assertEquals("invalid_redirect_uri", e.error().code());
        }
    }

    @ParameterizedTest(name = "registered {0}, presented {1}, native={2} → {3}")
    @CsvSource({
            "https://app.example.com/cb,       https://app.example.com/cb,        false, true",
            "https://app.example.com/cb,       https://app.example.com/cb/,       false, false",
            "https://app.example.com/cb,       https://APP.example.com/cb,        false, false",
            "https://app.example.com/cb,       https://app.example.com/cb?x=1,    false, false",
            "https://app.example.com/cb,       https://app.example.com:443/cb,    false, false",
            "com.example.app:/cb,              com.example.app:/cb,               true,  true",
            "http://127.0.0.1/cb,              http://127.0.0.1:49152/cb,         true,  true",
            "http://127.0.0.1:8080/cb,         http://127.0.0.1:49152/cb,         true,  true",
            "http://[::1]/cb,                  http://[::1]:49152/cb,             true,  true",
            "http://127.0.0.1/cb,              http://127.0.0.1:49152/cb,         false, false",
            "http://127.0.0.1/cb,              http://127.0.0.1:49152/other,      true,  false",
            "http://127.0.0.1/cb,              http://127.0.0.1:49152/cb?x=1,     true,  false",
            "http://127.0.0.1/cb,              http://[::1]:49152/cb,             true,  false",
            "http://127.0.0.1/cb,              http://localhost:49152/cb,         true,  false",
            "http://127.0.0.1/cb,              http://user@127.0.0.1:49152/cb,    true,  false",
            "https://app.example.com/cb,       https://app.example.com:8443/cb,   true,  false",
    })
    void redirectUrisMatchExactlyExceptTheLoopbackPortOfNativeApps(String registered, String presented, boolean nativeClient,
                                                                  boolean matches) {
        org.junit.jupiter.api.Assertions.assertEquals(matches, RedirectUriRules.matches(registered, presented, nativeClient));
    }
}
