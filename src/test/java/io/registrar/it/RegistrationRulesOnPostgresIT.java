package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Declarative registration rules on the PostgreSQL server. */
class RegistrationRulesOnPostgresIT extends RegistrationRulesTests {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
