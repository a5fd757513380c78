package dev.gatekey.persistence;

class ImportServiceH2Test extends ImportServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
