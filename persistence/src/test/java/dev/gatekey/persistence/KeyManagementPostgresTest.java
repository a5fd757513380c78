package dev.gatekey.persistence;

class KeyManagementPostgresTest extends KeyManagementContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
