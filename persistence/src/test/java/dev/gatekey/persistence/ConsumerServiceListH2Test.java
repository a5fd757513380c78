package dev.gatekey.persistence;

class ConsumerServiceListH2Test extends ConsumerServiceListContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
