package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Declarative registration rules on the embedded H2 database. */
class RegistrationRulesOnH2IT extends RegistrationRulesTests {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
