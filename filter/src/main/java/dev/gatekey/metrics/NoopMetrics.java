package dev.gatekey.metrics;

import dev.gatekey.problem.Outcome;
import java.util.function.Supplier;

enum NoopMetrics implements GatekeyMetrics {
    INSTANCE;

    @Override
    public void request(Outcome outcome) {
    }

    @Override
    public void cacheHit() {
    }

    @Override
    public void cacheMiss() {
    }

    @Override
    public void storeLookup() {
    }

    @Override
    public void storeError() {
    }

    @Override
    public void changesApplied(int count) {
    }

    @Override
    public void validation(long nanos) {
    }

    @Override
    public void storeRejected() {
    }

    @Override
    public void staleServed() {
    }

    @Override
    public void redisFallback() {
    }

    @Override
    public void dependency(String name, Supplier<String> state) {
    }
}
