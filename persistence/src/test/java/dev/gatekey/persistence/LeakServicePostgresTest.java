package dev.gatekey.persistence;

class LeakServicePostgresTest extends LeakServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
