package io.registrar.it;

import io.registrar.support.TestDatabase;

/** The foundation flow on the embedded H2 database (the default store). */
class DcrFlowOnH2IT extends DcrFlowTests {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
