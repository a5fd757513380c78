package dev.gatekey.persistence;

class LeakH2Test extends LeakContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
