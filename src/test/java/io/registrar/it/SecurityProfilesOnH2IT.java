package io.registrar.it;

import io.registrar.support.TestDatabase;

/** The security profiles on the H2 store. */
class SecurityProfilesOnH2IT extends SecurityProfilesTests {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
