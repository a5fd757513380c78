package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.store.StoreSettings;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Database failures leave the key services as one typed error, whatever JPA or JDBC threw inside. */
class DatabaseUnavailableTest {

    private static final StoreSettings UNREACHABLE =
            StoreSettings.jdbc("jdbc:postgresql://127.0.0.1:1/test?user=u&password=s3cret", null, null);

    @Test
    void readWhenDatabaseUnreachableThenDatabaseUnavailableWithoutPassword() {
        try (GatekeyDatabase database = GatekeyDatabase.openEventually(UNREACHABLE)) {
            KeyManagement km = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());

            assertThatThrownBy(km.buckets()::list)
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessage("the database is unavailable");
        }
    }

    @Test
    void writeWhenDatabaseUnreachableThenDatabaseUnavailable() {
        try (GatekeyDatabase database = GatekeyDatabase.openEventually(UNREACHABLE)) {
            KeyManagement km = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());

            assertThatThrownBy(() -> km.buckets().create("test", "demo-live", null, "demo_live", false))
                    .isInstanceOf(DatabaseUnavailableException.class);
        }
    }
}
