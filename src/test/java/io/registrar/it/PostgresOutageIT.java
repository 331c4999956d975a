package io.registrar.it;

import io.registrar.support.StallingProxy;
import io.registrar.support.TestDatabase;
import io.registrar.support.TestHttp;
import io.registrar.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PostgreSQL that hangs without closing its connections, as in a network partition: requests fail
 * with a JSON server_error after storage.queryTimeout instead of waiting for ever (the test client
 * gives up after 30 s), readiness reports it, and once the network is back the server recovers on
 * new connections with nothing lost.
 */
class PostgresOutageIT {

    @Test
    void aHangingDatabaseFailsRequestsInsteadOfHoldingThemAndTheServerRecovers() throws Exception {
        try (StallingProxy network = StallingProxy.to(TestDatabase.server().getPort());
             TestServer server = TestServer.start(TestDatabase.newPostgresStorageYaml(TestDatabase.tempDir(), network.port())
                     + "  queryTimeout: 1s\n")) {
            TestHttp http = server.http;
            TestHttp.Response reg = http.register(DcrFlowTests.CC_CLIENT);
            assertEquals(201, reg.status(), reg.body());
            String clientId = reg.string("client_id");
            String secret = reg.string("client_secret");
            String path = "/register/" + clientId;
            assertEquals(200, http.clientCredentialsToken(clientId, secret).status());
            String dcr = http.dcrToken();

            network.stall();
            // Every kind of wait at once: the static client's tokens go straight to the batched INSERT;
            // the dynamic client's authentication, the registration's DCR token and the read each wait on a query.
            List<Supplier<TestHttp.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> http.clientCredentialsToken(TestServer.INITIAL_CLIENT, TestServer.INITIAL_SECRET));
            }
            calls.add(() -> http.clientCredentialsToken(clientId, secret));
            calls.add(() -> http.postJson("/register", dcr, DcrFlowTests.CC_CLIENT));
            calls.add(() -> http.get(path, reg.string("registration_access_token")));
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<TestHttp.Response>> answers = new ArrayList<>();
                calls.forEach(call -> answers.add(pool.submit(call::get)));
                for (Future<TestHttp.Response> answer : answers) {
                    answer.get().assertError(500, "server_error");
                }
            }
            // Readiness answers from the background check's state: at once, with the reason, while the database hangs.
            for (int probe = 0; probe < 5; probe++) {
                long started = System.nanoTime();
                TestHttp.Response ready = http.get("/health/ready", null);
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertEquals(503, ready.status(), ready.body());
                assertTrue(ready.string("reason").contains("database"), ready.body());
                assertTrue(millis < 500, "readiness took " + millis + " ms");
                Thread.sleep(200);
            }
            assertEquals(200, http.get("/health/live", null).status());

            network.resume();
            awaitReady(http);
            // Nothing the failed requests started was committed: the secret still works, the
            // registration access token did not rotate, and the single-use DCR token was not used up.
            assertEquals(200, http.clientCredentialsToken(clientId, secret).status());
            TestHttp.Response read = http.get(path, reg.string("registration_access_token"));
            assertEquals(200, read.status(), read.body());
            TestHttp.Response second = http.postJson("/register", dcr, DcrFlowTests.CC_CLIENT);
            assertEquals(201, second.status(), second.body());
        }
    }

    /** The pool replaces the connections the partition took; readiness turns back once it has. */
    private static void awaitReady(TestHttp http) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (http.get("/health/ready", null).status() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the server did not become ready again after the database came back");
    }
}
