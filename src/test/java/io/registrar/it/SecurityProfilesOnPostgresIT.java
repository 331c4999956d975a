package io.registrar.it;

import io.registrar.support.TestDatabase;

/** The security profiles on the Postgres store. */
class SecurityProfilesOnPostgresIT extends SecurityProfilesTests {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
