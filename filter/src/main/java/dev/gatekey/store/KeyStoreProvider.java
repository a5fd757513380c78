package dev.gatekey.store;

/**
 * Opens a {@link KeyStoreBackend} from the filter's store settings. Found with
 * {@link java.util.ServiceLoader}; the persistence module provides the JPA implementation.
 */
public interface KeyStoreProvider {

    /**
     * Opens (or shares) a backend for these settings.
     *
     * @throws KeyStoreException when the database cannot be reached or migrated
     * @throws IllegalArgumentException when the settings are invalid
     */
    KeyStoreBackend open(StoreSettings settings);
}
