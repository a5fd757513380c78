package dev.gatekey.persistence;

class AuditServiceH2Test extends AuditServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
