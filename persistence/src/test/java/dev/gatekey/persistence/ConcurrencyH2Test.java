package dev.gatekey.persistence;

class ConcurrencyH2Test extends ConcurrencyContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
