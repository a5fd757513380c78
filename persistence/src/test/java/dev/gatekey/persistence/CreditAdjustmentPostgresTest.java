package dev.gatekey.persistence;

class CreditAdjustmentPostgresTest extends CreditAdjustmentContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
