package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Pushed authorization requests on the embedded H2 database. */
class PushedAuthorizationOnH2IT extends PushedAuthorizationTests {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
