package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema {@link GatekeyDatabase} migrates, on one database. */
abstract class GatekeyDatabaseContract extends DatabaseTestBase {

    @Test
    void openWhenNewDatabaseThenEveryTableMigrated() {
        assertThat(db.strings("SELECT \"version\" FROM \"gk_schema_history\" WHERE \"success\" = TRUE"))
                .contains("1");
        for (String table : List.of("gk_bucket", "gk_consumer", "gk_consumer_tag", "gk_api_key", "gk_change",
                "gk_audit_event")) {
            assertThat(db.count(table)).as(table).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void openWhenNewDatabaseThenLeakTableMigratedAsVersion2() {
        assertThat(db.strings("SELECT \"version\" FROM \"gk_schema_history\" WHERE \"success\" = TRUE"))
                .contains("2");
        assertThat(db.count("gk_leak")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void openWhenAlreadyMigratedThenNothingMigrates() {
        try (GatekeyDatabase again = GatekeyDatabase.open(db.dataSource)) {
            assertThat(new JpaKeyStore(again).latestPosition()).isEqualTo(store().latestPosition());
        }
    }
}
