package dev.gatekey.persistence;

class JpaKeyStoreCreditsPostgresTest extends JpaKeyStoreCreditsContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
