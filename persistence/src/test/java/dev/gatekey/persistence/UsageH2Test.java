package dev.gatekey.persistence;

class UsageH2Test extends UsageContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
