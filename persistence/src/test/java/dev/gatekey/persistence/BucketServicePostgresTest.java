package dev.gatekey.persistence;

class BucketServicePostgresTest extends BucketServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
