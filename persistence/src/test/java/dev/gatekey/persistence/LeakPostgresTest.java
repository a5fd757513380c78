package dev.gatekey.persistence;

class LeakPostgresTest extends LeakContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
