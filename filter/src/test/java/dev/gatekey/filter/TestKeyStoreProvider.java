package dev.gatekey.filter;

import dev.gatekey.store.ChangeFeed;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreBackend;
import dev.gatekey.store.KeyStoreProvider;
import dev.gatekey.store.StoreSettings;
import dev.gatekey.testing.InMemoryKeyStore;

/** Registered in the test classpath's META-INF/services; remembers what it was asked to open. */
public class TestKeyStoreProvider implements KeyStoreProvider {

    static volatile StoreSettings opened;
    static volatile boolean closed;
    static volatile RuntimeException failure;

    static void reset() {
        opened = null;
        closed = false;
        failure = null;
    }

    @Override
    public KeyStoreBackend open(StoreSettings settings) {
        if (failure != null) {
            throw failure;
        }
        opened = settings;
        InMemoryKeyStore store = new InMemoryKeyStore();
        return new KeyStoreBackend() {
            @Override
            public KeyStore keyStore() {
                return store;
            }

            @Override
            public ChangeFeed changeFeed() {
                return store;
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }
}
