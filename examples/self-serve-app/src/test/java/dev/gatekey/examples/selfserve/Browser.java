package dev.gatekey.examples.selfserve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for the story test (the admin WAR's browser tests use the same), driven through the system's {@value #CHROMEDRIVER} (never a driver
 * Selenium Manager would download). Without it the tests are skipped, or fail when
 * {@value #REQUIRE_ENV} is set (CI). As a JUnit extension it saves a screenshot of a failed test under
 * {@value #FAILURES}.
 */
final class Browser implements TestWatcher {

    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String REQUIRE_ENV = "GATEKEY_TEST_REQUIRE_BROWSER";
    static final String SKIPPED = "Chromium/chromedriver not installed: browser tests skipped "
            + "(apt-get install chromium chromium-driver)";
    static final String FAILURES = "target/screenshots";

    private ChromeDriver driver;
    private Path profile;

    /** Starts the browser, or skips (fails under {@value #REQUIRE_ENV}) when it is not installed. */
    ChromeDriver start() {
        requireInstalled(Path.of(CHROMEDRIVER), Path.of(CHROMIUM), System.getenv(REQUIRE_ENV));
        try {
            profile = Files.createTempDirectory("gk-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + profile);
        // the console's messages (a failed request is one) are read by the tests
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        return driver;
    }

    /** Skips the calling tests when a binary is missing, or fails them when {@code required} is set. */
    static void requireInstalled(Path chromedriver, Path chromium, String required) {
        if (!Files.isExecutable(chromedriver) || !Files.isExecutable(chromium)) {
            if (required != null && !required.isBlank()) {
                Assertions.fail(REQUIRE_ENV + " is set but " + SKIPPED.replace(": browser tests skipped", ""));
            }
            Assumptions.abort(SKIPPED);
        }
    }

    WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(10));
    }



    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void quit() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver != null) {
            screenshot(Path.of(FAILURES, context.getRequiredTestClass().getSimpleName() + "-"
                    + context.getRequiredTestMethod().getName() + ".png"));
        }
    }
}
