package dev.gatekey.persistence;

class BucketServiceH2Test extends BucketServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
