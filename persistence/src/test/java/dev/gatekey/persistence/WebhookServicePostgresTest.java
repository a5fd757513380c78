package dev.gatekey.persistence;

class WebhookServicePostgresTest extends WebhookServiceContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
