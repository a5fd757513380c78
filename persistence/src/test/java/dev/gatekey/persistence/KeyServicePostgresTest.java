package dev.gatekey.persistence;

class KeyServicePostgresTest extends KeyServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
