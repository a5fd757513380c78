package dev.gatekey.persistence;

class SelfServePostgresTest extends SelfServeContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
