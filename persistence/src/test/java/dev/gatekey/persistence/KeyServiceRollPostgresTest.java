package dev.gatekey.persistence;

class KeyServiceRollPostgresTest extends KeyServiceRollContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
