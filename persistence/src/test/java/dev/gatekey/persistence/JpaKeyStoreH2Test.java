package dev.gatekey.persistence;

class JpaKeyStoreH2Test extends JpaKeyStoreContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
