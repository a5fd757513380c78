package dev.gatekey.persistence;

class KeyServiceH2Test extends KeyServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
