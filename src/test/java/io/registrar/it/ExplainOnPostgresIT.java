package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Explain mode on the PostgreSQL server. */
class ExplainOnPostgresIT extends ExplainTests {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
