package dev.gatekey.persistence;

class LeakServiceH2Test extends LeakServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
