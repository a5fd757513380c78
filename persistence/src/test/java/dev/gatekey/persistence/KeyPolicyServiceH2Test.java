package dev.gatekey.persistence;

class KeyPolicyServiceH2Test extends KeyPolicyServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
