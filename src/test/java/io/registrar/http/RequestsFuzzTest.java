package io.registrar.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.registrar.support.FuzzInput;

import static io.registrar.support.Refusals.onlyAsClientErrors;

/**
 * Issue 21 §1: the Content-Type, Authorization (Bearer and Basic) and form parsing every endpoint that
 * reads a body goes through. Input: a Content-Type line, an Authorization line (empty: absent), the
 * form body. Seeds: RequestsFuzzTestInputs/headersAndForms.
 */
class RequestsFuzzTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @FuzzTest
    void headersAndForms(byte[] input) {
        FuzzInput in = FuzzInput.of(input, 2);
        String contentType = in.field(0);
        String authorization = in.field(1);
        String body = in.rest();
        onlyAsClientErrors(() -> Requests.hasContentType(contentType, FORM));
        onlyAsClientErrors(() -> Requests.hasContentType(contentType, "application/json"));
        onlyAsClientErrors(() -> Requests.bearerToken(authorization));
        onlyAsClientErrors(() -> Requests.clientCredentials(authorization, Requests.form(body), null, "203.0.113.7"));
        // The browser endpoints' reading leaves malformed pairs out: it never refuses at all.
        Requests.decodeForm(body, true);
    }
}
