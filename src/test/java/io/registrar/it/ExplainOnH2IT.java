package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Explain mode on the embedded H2 database. */
class ExplainOnH2IT extends ExplainTests {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
