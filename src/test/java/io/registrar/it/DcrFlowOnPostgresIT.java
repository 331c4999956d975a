package io.registrar.it;

import io.registrar.support.TestDatabase;

/** The foundation flow on a real PostgreSQL server (the production store). */
class DcrFlowOnPostgresIT extends DcrFlowTests {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
