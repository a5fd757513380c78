package dev.gatekey.persistence;

class JpaKeyStorePostgresTest extends JpaKeyStoreContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
