package dev.gatekey.persistence;

class WebhookServiceH2Test extends WebhookServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
