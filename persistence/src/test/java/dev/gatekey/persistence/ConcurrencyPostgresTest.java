package dev.gatekey.persistence;

class ConcurrencyPostgresTest extends ConcurrencyContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
