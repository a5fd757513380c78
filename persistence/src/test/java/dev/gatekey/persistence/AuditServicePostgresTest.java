package dev.gatekey.persistence;

class AuditServicePostgresTest extends AuditServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
