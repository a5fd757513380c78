package dev.gatekey.persistence;

class WebhookDeliveryPostgresTest extends WebhookDeliveryContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
