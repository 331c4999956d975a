package io.registrar.it;

import io.registrar.support.TestDatabase;

/** The rotation leeway on PostgreSQL. */
class RotationLeewayOnPostgresIT extends RotationLeewayTests {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
