package dev.gatekey.persistence;

class KeyServiceRollH2Test extends KeyServiceRollContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
