package dev.gatekey.persistence;

class WebhookTriggersPostgresTest extends WebhookTriggersContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
