package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Password and client-secret guessing on the Postgres store. */
class PasswordGuessingOnPostgresIT extends PasswordGuessingTests {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
