package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** What the browser tests do when Chromium or chromedriver is missing. */
class BrowserRequirementTest {

    private static final Path MISSING = Path.of("/nonexistent/chromedriver");

    @Test
    void requireInstalledWhenDriverMissingThenSkippedWithInstallHint() {
        assertThatThrownBy(() -> Browser.requireInstalled(MISSING, MISSING, null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("Chromium/chromedriver not installed: browser tests skipped "
                        + "(apt-get install chromium chromium-driver)");
    }

    @Test
    void requireInstalledWhenDriverMissingAndBrowserRequiredThenFails() {
        assertThatThrownBy(() -> Browser.requireInstalled(MISSING, MISSING, "1"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("GATEKEY_TEST_REQUIRE_BROWSER is set but Chromium/chromedriver not installed");
    }

    @Test
    void requireInstalledWhenBothPresentThenContinues() {
        Path executable = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThatCode(() -> Browser.requireInstalled(executable, executable, "1")).doesNotThrowAnyException();
    }
}
