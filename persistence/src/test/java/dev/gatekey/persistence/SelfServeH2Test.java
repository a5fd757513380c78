package dev.gatekey.persistence;

class SelfServeH2Test extends SelfServeContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
