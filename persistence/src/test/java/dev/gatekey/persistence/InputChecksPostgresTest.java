package dev.gatekey.persistence;

class InputChecksPostgresTest extends InputChecksContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
