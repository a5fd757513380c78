package dev.gatekey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.format.ChecksumMode;
import dev.gatekey.persistence.MasterKeys;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {

    private static final UnaryOperator<String> NO_ENV = name -> null;

    @Test
    void parseWhenNoParamsThenDefaults() {
        AdminSettings settings = AdminSettings.parse(Map.of(), NO_ENV);

        assertThat(settings.store().dataSource()).isEqualTo("java:comp/env/jdbc/gatekey");
        assertThat(settings.masterKeys()).isNull();
        assertThat(settings.maxBodyBytes()).isEqualTo(65536);
        assertThat(settings.changePollMillis()).isEqualTo(1000);
        assertThat(settings.checksum()).isEqualTo(ChecksumMode.CRC32);
        assertThat(settings.adminKeyFile().getFileName()).hasToString("gatekey-admin-key");
        assertThat(settings.adminKeyFile()).isAbsolute();
    }

    @Test
    void parseWhenCatalinaBaseSetThenKeyFileInIt() {
        String previous = System.getProperty("catalina.base");
        System.setProperty("catalina.base", "/srv/tomcat");
        try {
            assertThat(AdminSettings.parse(Map.of(), NO_ENV).adminKeyFile())
                    .isEqualTo(Path.of("/srv/tomcat/gatekey-admin-key"));
        } finally {
            if (previous == null) {
                System.clearProperty("catalina.base");
            } else {
                System.setProperty("catalina.base", previous);
            }
        }
    }

    @Test
    void parseWhenJdbcUrlThenJdbcStoreAndVariablesExpanded() {
        System.setProperty("gatekey.test.db", "gk");
        AdminSettings settings = AdminSettings.parse(Map.of(
                "gatekey.jdbcUrl", "jdbc:h2:mem:${sys:gatekey.test.db}",
                "gatekey.jdbcUser", "${env:DB_USER}",
                "gatekey.jdbcPassword", "pw",
                "gatekey.adminKeyFile", "/data/admin-key",
                "gatekey.maxBodyBytes", "2048",
                "gatekey.changePollMillis", "100",
                "other.param", "ignored"), name -> "DB_USER".equals(name) ? "sa" : null);

        assertThat(settings.store().jdbcUrl()).isEqualTo("jdbc:h2:mem:gk");
        assertThat(settings.store().jdbcUser()).isEqualTo("sa");
        assertThat(settings.store().jdbcPassword()).isEqualTo("pw");
        assertThat(settings.adminKeyFile()).isEqualTo(Path.of("/data/admin-key"));
        assertThat(settings.maxBodyBytes()).isEqualTo(2048);
        assertThat(settings.changePollMillis()).isEqualTo(100);
    }

    @Test
    void toStringWhenSecretsSetThenShowsNoPasswordMasterKeyOrSecret() {
        String masterKey = MasterKeys.generateKey();
        AdminSettings settings = AdminSettings.parse(Map.of(
                "gatekey.jdbcUrl", "jdbc:postgresql://db/gk?password=hunter2",
                "gatekey.jdbcPassword", "s3cret-pw",
                "gatekey.masterKeys", "k1:" + masterKey,
                "gatekey.checksum", "hmac",
                "gatekey.checksumSecret", "hmac-s3cret"), NO_ENV);

        assertThat(settings.toString())
                .contains("jdbcUrl=jdbc:postgresql://db/gk?password=***", "masterKeys=[k1]", "checksum=hmac")
                .doesNotContain("hunter2", "s3cret-pw", masterKey, "hmac-s3cret");
    }

    @Test
    void parseWhenUnknownGatekeyParamThenNamedError() {
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.dataSorce", "x"), NO_ENV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[gatekey.dataSorce]");
    }

    @Test
    void parseWhenDataSourceAndJdbcUrlThenError() {
        assertThatThrownBy(() -> AdminSettings.parse(
                Map.of("gatekey.dataSource", "java:comp/env/jdbc/x", "gatekey.jdbcUrl", "jdbc:h2:mem:x"), NO_ENV))
                .hasMessageContaining("[gatekey.dataSource]").hasMessageContaining("[gatekey.jdbcUrl]");
    }

    @Test
    void parseWhenJdbcUserWithoutUrlThenError() {
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.jdbcUser", "sa"), NO_ENV))
                .hasMessageContaining("[gatekey.jdbcUser] needs [gatekey.jdbcUrl]");
    }

    @Test
    void parseWhenJdbcUrlNotJdbcThenErrorWithoutTheValue() {
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.jdbcUrl", "postgres://u:secretpw@db"), NO_ENV))
                .hasMessageContaining("[gatekey.jdbcUrl]").hasMessageNotContaining("secretpw");
    }

    @Test
    void parseWhenMaxBodyBytesOutOfRangeThenNamedError() {
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.maxBodyBytes", "10"), NO_ENV))
                .hasMessageContaining("[gatekey.maxBodyBytes]: [10]");
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.changePollMillis", "soon"), NO_ENV))
                .hasMessageContaining("[gatekey.changePollMillis]: [soon]");
    }

    @Test
    void parseWhenPrintAdminKeyUnsetThenPrintedElseAsSet() {
        assertThat(AdminSettings.parse(Map.of(), NO_ENV).printAdminKey()).isTrue();
        assertThat(AdminSettings.parse(Map.of("gatekey.printAdminKey", "false"), NO_ENV).printAdminKey()).isFalse();
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.printAdminKey", "no"), NO_ENV))
                .hasMessageContaining("[gatekey.printAdminKey]: [no]");
    }

    @Test
    void parseWhenSessionTimeoutUnsetThenThirtyMinutes() {
        assertThat(AdminSettings.parse(Map.of(), NO_ENV).sessionTimeoutMinutes()).isEqualTo(30);
    }

    @Test
    void parseWhenSessionTimeoutSetThenUsed() {
        assertThat(AdminSettings.parse(Map.of("gatekey.sessionTimeoutMinutes", "5"), NO_ENV).sessionTimeoutMinutes())
                .isEqualTo(5);
    }

    @Test
    void parseWhenSessionTimeoutOutOfRangeThenNamedError() {
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.sessionTimeoutMinutes", "0"), NO_ENV))
                .hasMessageContaining("[gatekey.sessionTimeoutMinutes]: [0] (expected 1..1440)");
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.sessionTimeoutMinutes", "forever"), NO_ENV))
                .hasMessageContaining("[gatekey.sessionTimeoutMinutes]: [forever]");
    }

    @Test
    void parseWhenMasterKeysInvalidThenNamedErrorWithoutTheKey() {
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.masterKeys", "k1:c2hvcnQ="), NO_ENV))
                .hasMessageContaining("[gatekey.masterKeys]").hasMessageNotContaining("c2hvcnQ=");
    }

    @Test
    void parseWhenHmacWithoutSecretThenError() {
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.checksum", "hmac"), NO_ENV))
                .hasMessageContaining("[gatekey.checksumSecret]");
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.checksum", "md5"), NO_ENV))
                .hasMessageContaining("[gatekey.checksum]: [md5]");
    }

    @Test
    void parseWhenVariableUndefinedThenNamedError() {
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.jdbcPassword", "${env:NOPE}",
                "gatekey.jdbcUrl", "jdbc:h2:mem:x"), NO_ENV))
                .hasMessageContaining("[${env:NOPE}]").hasMessageContaining("[gatekey.jdbcPassword]");
    }

    @Test
    void parseWhenPortalSettingsAbsentThenNoFramingAndDefaultSessionLimits() {
        var portal = AdminSettings.parse(Map.of(), NO_ENV).portal();
        assertThat(portal.frameAncestors()).isEqualTo("'none'");
        assertThat(portal.framable()).isFalse();
        assertThat(portal.url()).isNull();
        assertThat(portal.idleTimeout()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(portal.lifetime()).isEqualTo(java.time.Duration.ofHours(8));
    }

    @Test
    void parseWhenPortalFrameAncestorsListedThenNormalised() {
        var portal = AdminSettings.parse(Map.of("gatekey.portalFrameAncestors",
                " 'self'   https://app.example.com https://*.example.org:8443 "), NO_ENV).portal();
        assertThat(portal.frameAncestors()).isEqualTo("'self' https://app.example.com https://*.example.org:8443");
        assertThat(portal.framable()).isTrue();
    }

    @Test
    void parseWhenPortalFrameAncestorsInjectOtherDirectivesThenNamedError() {
        for (String value : new String[] {"https://a.example.com; script-src *", "'unsafe-inline'", "",
                "https://a.example.com/path", "'none' https://a.example.com"}) {
            assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.portalFrameAncestors", value), NO_ENV))
                    .as(value).hasMessageContaining("[gatekey.portalFrameAncestors]");
        }
    }

    @Test
    void parseWhenPortalUrlThenAbsoluteWithFinalSlashElseNamedError() {
        assertThat(AdminSettings.parse(Map.of("gatekey.portalUrl", "https://keys.example.com/gatekey/portal"), NO_ENV)
                .portal().url()).isEqualTo("https://keys.example.com/gatekey/portal/");
        for (String value : new String[] {"/gatekey/portal/", "ftp://x/", "https://x/portal/?a=b"}) {
            assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.portalUrl", value), NO_ENV))
                    .as(value).hasMessageContaining("[gatekey.portalUrl]");
        }
    }

    @Test
    void parseWhenPortalLifetimeShorterThanIdleTimeoutThenNamedError() {
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.portalSessionTimeoutMinutes", "60",
                "gatekey.portalSessionLifetimeMinutes", "30"), NO_ENV))
                .hasMessageContaining("[gatekey.portalSessionLifetimeMinutes]: [30]")
                .hasMessageContaining("must not be shorter than gatekey.portalSessionTimeoutMinutes (60)");
        assertThatThrownBy(() -> AdminSettings.parse(Map.of("gatekey.portalSessionTimeoutMinutes", "0"), NO_ENV))
                .hasMessageContaining("[gatekey.portalSessionTimeoutMinutes]: [0] (expected 1..1440)");
    }
}
