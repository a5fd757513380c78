package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.store.KeyStoreBackend;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.KeyStoreProvider;
import dev.gatekey.store.StoreSettings;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JpaKeyStoreProviderTest {

    private static StoreSettings h2() {
        return StoreSettings.jdbc("jdbc:h2:mem:" + UUID.randomUUID(), "sa", "");
    }

    @Test
    void serviceLoaderWhenAskedForKeyStoreProvidersThenFindsThisOne() {
        assertThat(ServiceLoader.load(KeyStoreProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(JpaKeyStoreProvider.class);
    }

    @Test
    void openWhenSettingsEqualThenBackendsShareOneDatabaseUntilTheLastCloses() {
        int before = JpaKeyStoreProvider.openDatabases();
        StoreSettings settings = h2();
        KeyStoreBackend first = new JpaKeyStoreProvider().open(settings);
        KeyStoreBackend second = new JpaKeyStoreProvider().open(settings);
        assertThat(second.keyStore()).isSameAs(first.keyStore());
        assertThat(first.changeFeed()).isSameAs(first.keyStore());
        assertThat(JpaKeyStoreProvider.openDatabases()).isEqualTo(before + 1);

        first.close();
        first.close();
        assertThat(JpaKeyStoreProvider.openDatabases()).isEqualTo(before + 1);
        assertThat(second.changeFeed().latestPosition()).isZero();
        assertThat(second.keyStore().findKeyPrefix("none")).isEmpty();
        second.close();
        assertThat(JpaKeyStoreProvider.openDatabases()).isEqualTo(before);
    }

    @Test
    void openWhenDatabaseUnreachableThenBackendOpensAndItsCallsSayDatabaseUnavailable() {
        StoreSettings dead = StoreSettings.jdbc("jdbc:postgresql://127.0.0.1:1/test", "postgres", null);
        try (KeyStoreBackend backend = new JpaKeyStoreProvider().open(dead)) {
            assertThatThrownBy(() -> backend.keyStore().findKeyPrefix("demo-live"))
                    .isInstanceOf(KeyStoreException.class)
                    .hasMessageStartingWith("findKeyPrefix failed: database unavailable");
        }
    }

    @Test
    void openWhenJndiNameNotBoundThenKeyStoreException() {
        assertThatThrownBy(() -> new JpaKeyStoreProvider().open(StoreSettings.jndi("java:comp/env/jdbc/none")))
                .isInstanceOf(KeyStoreException.class)
                .hasMessage("DataSource java:comp/env/jdbc/none not found in JNDI");
    }

    @Test
    void openWhenDatabaseUnreachableThenMessagesNeverShowThePasswordOfTheUrl() {
        StoreSettings dead = StoreSettings.jdbc("jdbc:postgresql://127.0.0.1:1/test?user=u&password=s3cret", null, null);
        try (KeyStoreBackend backend = new JpaKeyStoreProvider().open(dead)) {
            assertThatThrownBy(() -> backend.changeFeed().latestPosition())
                    .isInstanceOf(KeyStoreException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
        }
    }
}
