package dev.gatekey.persistence;

class ConsumerServiceH2Test extends ConsumerServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
