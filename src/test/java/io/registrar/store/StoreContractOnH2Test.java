package io.registrar.store;

import io.registrar.support.TestDatabase;

/** The store contract on the embedded H2 database. */
class StoreContractOnH2Test extends StoreContract {
    StoreContractOnH2Test() {
        super(TestDatabase.H2);
    }
}
