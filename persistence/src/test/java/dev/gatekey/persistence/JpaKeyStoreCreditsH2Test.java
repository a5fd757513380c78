package dev.gatekey.persistence;

class JpaKeyStoreCreditsH2Test extends JpaKeyStoreCreditsContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
