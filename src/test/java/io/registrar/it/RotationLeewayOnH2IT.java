package io.registrar.it;

import io.registrar.support.TestDatabase;

/** The rotation leeway on the embedded H2 database. */
class RotationLeewayOnH2IT extends RotationLeewayTests {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
