package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Registration over mutual TLS on the H2 store. */
class MutualTlsRegistrationOnH2IT extends MutualTlsRegistrationTests {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
