package dev.gatekey.persistence;

import dev.gatekey.store.ChangeFeed;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreBackend;
import dev.gatekey.store.KeyStoreProvider;
import dev.gatekey.store.StoreSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JPA {@link KeyStoreProvider}, registered for {@link java.util.ServiceLoader}.
 *
 * <p>Backends opened with equal settings in one JVM (several filters, one database) share one
 * {@link GatekeyDatabase}, pool and session factory; it is reference counted and closed with the
 * last backend. A backend opens even while its database is unreachable (see
 * {@link GatekeyDatabase#openEventually}); only a configuration error (no such JNDI name, a database that answers
 * but cannot be migrated) fails {@link #open}.
 */
public final class JpaKeyStoreProvider implements KeyStoreProvider {

    private static final Object LOCK = new Object();
    private static final Map<StoreSettings, Shared> OPEN = new HashMap<>();

    /** For {@link java.util.ServiceLoader}. */
    public JpaKeyStoreProvider() {
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.gatekey.store.KeyStoreException when the DataSource is not bound, or the database was reached
     *     but cannot be migrated
     */
    @Override
    public KeyStoreBackend open(StoreSettings settings) {
        Objects.requireNonNull(settings, "settings");
        synchronized (LOCK) {
            Shared shared = OPEN.get(settings);
            if (shared == null) {
                // opened under the lock: two filters starting together must not build two pools
                // a database that is down is no reason to fail the application: the store answers "unavailable"
                // (the filter: 503) until the database is reachable, then starts by itself
                GatekeyDatabase database = GatekeyDatabase.openEventually(settings);
                shared = new Shared(settings, database, new JpaKeyStore(database));
                OPEN.put(settings, shared);
            }
            shared.users++;
            return new Backend(shared);
        }
    }

    /** Number of distinct databases currently open through this provider (for tests and diagnostics). */
    static int openDatabases() {
        synchronized (LOCK) {
            return OPEN.size();
        }
    }

    private static final class Shared {
        final StoreSettings settings;
        final GatekeyDatabase database;
        final JpaKeyStore store;
        int users;

        Shared(StoreSettings settings, GatekeyDatabase database, JpaKeyStore store) {
            this.settings = settings;
            this.database = database;
            this.store = store;
        }
    }

    private static final class Backend implements KeyStoreBackend {
        private final Shared shared;
        private final AtomicBoolean closed = new AtomicBoolean();

        Backend(Shared shared) {
            this.shared = shared;
        }

        @Override
        public KeyStore keyStore() {
            return shared.store;
        }

        @Override
        public ChangeFeed changeFeed() {
            return shared.store;
        }

        /** Idempotent: closing a backend twice releases its share once. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            synchronized (LOCK) {
                if (--shared.users == 0) {
                    OPEN.remove(shared.settings);
                    shared.database.close();
                }
            }
        }
    }
}
