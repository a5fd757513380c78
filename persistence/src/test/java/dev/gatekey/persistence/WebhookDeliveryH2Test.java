package dev.gatekey.persistence;

class WebhookDeliveryH2Test extends WebhookDeliveryContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
