package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Software statements and signed registration requests on the embedded H2 database. */
class SoftwareStatementOnH2IT extends SoftwareStatementTests {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
