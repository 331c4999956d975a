package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Registration over mutual TLS on the Postgres store. */
class MutualTlsRegistrationOnPostgresIT extends MutualTlsRegistrationTests {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
