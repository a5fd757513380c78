package dev.gatekey.persistence;

class ConsumerGuardPostgresTest extends ConsumerGuardContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
