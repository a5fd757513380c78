package dev.gatekey.persistence;

class ConsumerServicePostgresTest extends ConsumerServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
