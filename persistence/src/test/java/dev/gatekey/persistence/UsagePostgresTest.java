package dev.gatekey.persistence;

class UsagePostgresTest extends UsageContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
