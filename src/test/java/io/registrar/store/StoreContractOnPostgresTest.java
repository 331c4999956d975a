package io.registrar.store;

import io.registrar.support.TestDatabase;

/** The store contract on PostgreSQL. */
class StoreContractOnPostgresTest extends StoreContract {
    StoreContractOnPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
