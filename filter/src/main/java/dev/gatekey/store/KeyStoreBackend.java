package dev.gatekey.store;

/**
 * A key store with its change feed, opened from {@link StoreSettings} and closed by the filter that
 * opened it in {@code destroy()}.
 */
public interface KeyStoreBackend extends AutoCloseable {

    KeyStore keyStore();

    ChangeFeed changeFeed();

    /** Releases what {@link KeyStoreProvider#open} acquired (a shared pool closes with its last user). */
    @Override
    void close();
}
