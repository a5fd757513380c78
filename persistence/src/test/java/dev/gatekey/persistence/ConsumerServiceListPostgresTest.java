package dev.gatekey.persistence;

class ConsumerServiceListPostgresTest extends ConsumerServiceListContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
