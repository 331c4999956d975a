package io.registrar.clientauth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.registrar.support.FuzzInput;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.registrar.support.Refusals.onlyAsClientErrors;

/**
 * Issue 21 §1: an RFC 7523 client assertion as the token endpoint reads it before it knows the client
 * (JwtAssertions.parse). Input: a client_id line (empty: absent), a client_assertion_type line, then
 * either the compact JWT as sent, or, when it starts with '{', a JOSE header line, a claims line and
 * the signature, which this target base64url-encodes so that mutations reach the claims and not only
 * the encoding. Seeds: ClientAssertionFuzzTestInputs/clientAssertion.
 */
class ClientAssertionFuzzTest {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @FuzzTest
    void clientAssertion(byte[] input) {
        FuzzInput in = FuzzInput.of(input, 2);
        String assertion = in.rest();
        if (assertion.startsWith("{")) {
            FuzzInput jwt = FuzzInput.of(assertion.getBytes(StandardCharsets.UTF_8), 2);
            assertion = encode(jwt.field(0)) + "." + encode(jwt.field(1)) + "." + jwt.rest();
        }
        String compact = assertion;
        onlyAsClientErrors(() -> JwtAssertions.parse(ClientCredentials.jwt(in.field(0), in.field(1), compact, null, "203.0.113.7")));
    }

    private static String encode(String json) {
        return json == null ? "" : B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
