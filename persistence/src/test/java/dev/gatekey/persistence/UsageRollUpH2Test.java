package dev.gatekey.persistence;

class UsageRollUpH2Test extends UsageRollUpContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
