package dev.gatekey.persistence;

class InputChecksH2Test extends InputChecksContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
