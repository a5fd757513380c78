package dev.gatekey.persistence;

class GatekeyDatabasePostgresTest extends GatekeyDatabaseContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
