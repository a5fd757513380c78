package dev.gatekey.persistence;

class KeyManagementH2Test extends KeyManagementContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
