/**
 * The key store contract between the filter and whatever keeps the keys: {@link dev.gatekey.store.KeyStore}
 * (look-ups by key hash), {@link dev.gatekey.store.ChangeFeed} (what changed since a position),
 * {@link dev.gatekey.store.KeyStoreProvider} (found through {@link java.util.ServiceLoader}; the persistence module
 * provides the JPA one) opening a {@link dev.gatekey.store.KeyStoreBackend} from
 * {@link dev.gatekey.store.StoreSettings}, the immutable {@link dev.gatekey.store.StoredKey},
 * {@link dev.gatekey.store.KeyHashes} (the one way a key becomes its hash) and
 * {@link dev.gatekey.store.KeyStoreException} (the store could not answer, never a verdict).
 *
 * <p>Depends on the JDK only: it is the bottom of the filter module, and every Gatekey package that deals with
 * keys (the filter's steps, persistence, the admin WAR) may depend on it.
 */
package dev.gatekey.store;
