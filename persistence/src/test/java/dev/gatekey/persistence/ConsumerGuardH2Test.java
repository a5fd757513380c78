package dev.gatekey.persistence;

class ConsumerGuardH2Test extends ConsumerGuardContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
