package dev.gatekey.persistence;

class KeyPolicyServicePostgresTest extends KeyPolicyServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
