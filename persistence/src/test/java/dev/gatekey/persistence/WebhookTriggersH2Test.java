package dev.gatekey.persistence;

class WebhookTriggersH2Test extends WebhookTriggersContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
