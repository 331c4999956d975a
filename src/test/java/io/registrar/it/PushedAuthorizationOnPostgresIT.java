package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Pushed authorization requests on PostgreSQL. */
class PushedAuthorizationOnPostgresIT extends PushedAuthorizationTests {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
