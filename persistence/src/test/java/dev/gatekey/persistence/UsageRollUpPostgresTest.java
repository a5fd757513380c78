package dev.gatekey.persistence;

class UsageRollUpPostgresTest extends UsageRollUpContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
