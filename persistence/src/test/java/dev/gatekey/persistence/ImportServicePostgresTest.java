package dev.gatekey.persistence;

class ImportServicePostgresTest extends ImportServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
