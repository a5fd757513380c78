package dev.gatekey.persistence;

class GatekeyDatabaseH2Test extends GatekeyDatabaseContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
