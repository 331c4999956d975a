package io.registrar.it;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.registrar.support.HostileRequests;
import io.registrar.support.RawHttp;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestPki;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.AfterAll;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 21 §1, coverage-guided: the real server in this JVM, and requests whose every choice (endpoint,
 * Content-Type, Authorization, proxy certificate header, odd headers, body and how each is mutated) is
 * the fuzzer's, sent over a socket. Jazzer instruments the server's classes, so a new branch taken while
 * handling a request is new coverage. No answer may be a 5xx, and every API error is RFC JSON.
 */
class ServerFuzzTest {

    private static TestServer server;
    private static HostileRequests requests;

    /** On the first input: Jazzer's agent, which the SSRF detector belongs to, is in place only from then. */
    private static void start() {
        TestPki pki = new TestPki();
        server = TestServer.start(TestDatabase.H2, HostileRequests.serverYaml(pki.trustedIssuersFile(true)));
        requests = new HostileRequests(HostileRequests.Known.of(server, pki.client("CN=fuzz,O=Example", pki.intermediate).urlEncodedPem()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @FuzzTest
    void request(FuzzedDataProvider data) {
        // Jazzer's SSRF detector refuses every connection a fuzz test did not allow, and forgets the
        // allowance when fuzzing starts after the seeds: on every input, this target talks to its server.
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        if (server == null) {
            start();
        }
        HostileRequests.Request request = requests.next(new Fuzzed(data));
        RawHttp.Answer answer = RawHttp.send(server.port(), request.wire(server.port()));
        assertNull(BlackBoxFuzzIT.problem(request, answer), () -> request.toString());
    }

    /** Jazzer's choices: a sample as it is, the fuzzer's own text, or the fuzzer's text spliced into a sample. */
    private record Fuzzed(FuzzedDataProvider data) implements HostileRequests.Choices {
        @Override
        public int pick(int n) {
            return data.consumeInt(0, n - 1);
        }

        @Override
        public String text(int max, List<String> samples) {
            String sample = data.pickValue(samples);
            return switch (data.consumeInt(0, 2)) {
                case 0 -> sample;
                case 1 -> data.consumeString(max);
                default -> {
                    int at = data.consumeInt(0, sample.length());
                    yield sample.substring(0, at) + data.consumeString(max) + sample.substring(at);
                }
            };
        }
    }
}
