package dev.gatekey.persistence;

class PortalServicePostgresTest extends PortalServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
