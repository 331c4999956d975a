package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Software statements and signed registration requests on a real PostgreSQL server. */
class SoftwareStatementOnPostgresIT extends SoftwareStatementTests {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
