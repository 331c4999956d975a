package io.registrar.it;

import io.registrar.support.TestDatabase;

/** Password and client-secret guessing on the H2 store. */
class PasswordGuessingOnH2IT extends PasswordGuessingTests {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
