package dev.gatekey.persistence;

class PortalServiceH2Test extends PortalServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
