package io.registrar.it;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.registrar.support.HostileRequests;
import io.registrar.support.RawHttp;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestPki;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21 §1, black-box: a fixed seed's worth of random and mutated requests (HostileRequests) against
 * a running server. None may be answered with a 5xx or left unanswered, every API error is RFC JSON
 * with {@code error} and no-store, and afterwards the server still serves a normal request.
 * {@code -Dfuzz.seed} and {@code -Dfuzz.requests} change the run.
 */
class BlackBoxFuzzIT {

    private static final long SEED = Long.getLong("fuzz.seed", 20261203L);
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 3000);

    @Test
    void hostileRequestsGetRfcErrorsAndTheServerKeepsServing() {
        TestPki pki = new TestPki();
        try (TestServer server = TestServer.start(TestDatabase.H2, HostileRequests.serverYaml(pki.trustedIssuersFile(true)))) {
            HostileRequests requests = new HostileRequests(
                    HostileRequests.Known.of(server, pki.client("CN=fuzz,O=Example", pki.intermediate).urlEncodedPem()));
            HostileRequests.Choices choices = HostileRequests.seeded(SEED);
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                HostileRequests.Request request = requests.next(choices);
                RawHttp.Answer answer = RawHttp.send(server.port(), request.wire(server.port()));
                statuses.merge(answer.status(), 1, Integer::sum);
                String problem = problem(request, answer);
                if (problem != null) {
                    problems.add("#" + i + " " + problem + "\n    " + request);
                }
            }
            System.out.println("BlackBoxFuzzIT seed " + SEED + ", " + REQUESTS + " requests, statuses by count: " + statuses);
            assertTrue(problems.isEmpty(), () -> problems.size() + " bad answers (seed " + SEED + "), the first:\n"
                    + String.join("\n", problems.subList(0, Math.min(10, problems.size()))));
            assertTrue(statuses.keySet().stream().anyMatch(s -> s < 300), "some requests are valid and succeed: " + statuses);
            server.http.register(DcrFlowTests.CC_CLIENT);
        }
    }

    /**
     * What is wrong with {@code answer}, or null: a 5xx (but 505 to a request line without a version),
     * no answer at all, or an API error that is not RFC JSON with no-store.
     */
    static String problem(HostileRequests.Request request, RawHttp.Answer answer) {
        if (answer.status() == 0) {
            return "no answer: " + answer.body();
        }
        if (answer.status() >= 500 && !(answer.status() == 505 && !request.hasVersion())) {
            return answer.status() + " " + answer.body();
        }
        if (answer.status() == 401 && answer.body().isEmpty() && answer.header("WWW-Authenticate") != null
                && answer.header("WWW-Authenticate").startsWith("Bearer ") && !answer.header("WWW-Authenticate").contains("error=")) {
            return null; // RFC 6750 §3.1: no credentials, so no error code; the challenge says it all
        }
        if (answer.status() >= 400 && request.api() && !request.method().equals("HEAD")) {
            if (!isRfcError(answer.body())) {
                return answer.status() + " without an RFC error body: " + answer.headers() + " " + answer.body();
            }
            if (!"no-store".equals(answer.header("Cache-Control"))) {
                return answer.status() + " without Cache-Control: no-store " + answer.headers();
            }
        }
        return null;
    }

    private static boolean isRfcError(String body) {
        try {
            return JSONObjectUtils.parse(body).get("error") instanceof String code && code.matches("[a-z_]+");
        } catch (ParseException e) {
            return false;
        }
    }
}
