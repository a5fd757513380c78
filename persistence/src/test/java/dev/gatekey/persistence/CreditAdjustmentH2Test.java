package dev.gatekey.persistence;

class CreditAdjustmentH2Test extends CreditAdjustmentContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
