package dev.gatekey.examples.selfserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The whole self-serve story in headless Chromium against the example as its runner starts it (this application
 * and the admin WAR in one embedded Tomcat, one H2 file): alice's first sign-in shows her key once, the key calls
 * {@code /api/whoami}; from "Settings: API keys" she rolls it in the portal with a one-hour transition (both keys
 * work), revokes the old one (refused within the change feed's interval); bob sees only his own consumer; forged
 * and expired links are refused; settings and portal fit 400 px. Screenshots go to {@value #PAGES}
 * (self-serve-*.png; the README's are copies).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SelfServeStoryBrowserTest {

    static final String PAGES = "target/screenshots/pages";
    private static final String BUCKET = SelfServeListener.DEFAULT_BUCKET;
    /** The filter's change feed polls every second; the verdict cache then drops the revoked key. */
    private static final Duration CHANGE_FEED_DEADLINE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    private static ChromeDriver driver;
    private static SelfServeApp app;
    private static GatekeyDatabase database;
    private static KeyManagement keys;
    private static Path dataDir;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String aliceFirstKey;
    private static String aliceFirstKeyId;
    private static String aliceRolledKey;

    @BeforeAll
    static void start() throws Exception {
        driver = BROWSER.start();
        dataDir = Files.createTempDirectory("gk-self-serve");
        app = SelfServeApp.start(0, dataDir);
        base = "http://localhost:" + app.port();
        database = GatekeyDatabase.open(app.dataSource());
        keys = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        BROWSER.quit();
        if (database != null) {
            database.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void signInWhenFirstThenTheKeyIsShownOnceAndCallsTheApi() throws Exception {
        driver.get(base + "/");
        waitFor(By.id("username"));
        screenshot("self-serve-1-sign-in.png");
        signIn("alice", "alice-demo");

        aliceFirstKey = waitFor(By.id("new-key-value")).getAttribute("value");
        assertThat(ApiKeyFormat.crc32().isValid(aliceFirstKey)).isTrue();
        assertThat(aliceFirstKey).startsWith(SelfServeListener.KEY_PREFIX + "_");
        assertThat(driver.findElement(By.id("consumer")).getText()).isEqualTo("alice");
        screenshot("self-serve-2-first-key.png");

        JsonNode whoami = whoami(aliceFirstKey, 200);
        assertThat(whoami.get("sub").asText()).isEqualTo("alice");
        assertThat(whoami.get("data").get("plan").asText()).isEqualTo("free");
        aliceFirstKeyId = whoami.get("keyId").asText();
        assertThat(keys.consumers().get(BUCKET, "alice", false, null).managers()).containsExactly("alice");

        driver.get(base + "/home");
        waitFor(By.id("consumer"));
        assertThat(driver.findElements(By.id("new-key"))).isEmpty();
        assertThat(pageContains(aliceFirstKey)).isFalse();

        signOut();
        signIn("alice", "alice-demo");
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Welcome back");
        assertThat(driver.findElements(By.id("new-key"))).isEmpty();
        assertThat(pageContains(aliceFirstKey)).isFalse();
        assertThat(keys.keys().list(BUCKET, "alice", null)).hasSize(1);
        screenshot("self-serve-3-welcome-back.png");
    }

    @Test
    @Order(2)
    void rollWhenOneHourChosenInThePortalThenBothKeysWork() throws Exception {
        openPortalFromSettings("self-serve-4-settings.png");
        WebElement card = waitFor(By.cssSelector("section[data-consumer='alice']"));
        waitFor(By.cssSelector("tr[data-key-id='" + aliceFirstKeyId + "']"));
        assertThat(waitFor(By.id("who")).getText()).isEqualTo("alice");
        assertThat(waitFor(By.id("back")).getAttribute("href")).isEqualTo(base + "/settings/api-keys");
        assertThat(pageContains(aliceFirstKey)).isFalse();
        screenshot("self-serve-5-portal.png");

        WebElement form = card.findElement(By.cssSelector("form.roll-keys"));
        new Select(form.findElement(By.cssSelector("select.transition"))).selectByValue("3600");
        form.findElement(By.cssSelector("input.roll-label")).sendKeys("rolled");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        aliceRolledKey = waitFor(By.id("new-key-value")).getAttribute("value");
        assertThat(ApiKeyFormat.crc32().isValid(aliceRolledKey)).isTrue();
        screenshot("self-serve-6-rolled.png");
        driver.findElement(By.id("new-key-done")).click();
        BROWSER.waiting().until(d -> "expiring".equals(badgeOf(aliceFirstKeyId)));

        assertThat(whoami(aliceFirstKey, 200).get("sub").asText()).isEqualTo("alice");
        assertThat(whoami(aliceRolledKey, 200).get("sub").asText()).isEqualTo("alice");
        ApiKey old = keys.keys().get(BUCKET, "alice", aliceFirstKeyId, null);
        assertThat(old.expiresOn()).isBetween(Instant.now().plus(Duration.ofMinutes(58)),
                Instant.now().plus(Duration.ofMinutes(61)));
    }

    @Test
    @Order(3)
    void revokeWhenConfirmedInThePortalThenTheOldKeyIsRefusedWithinTheChangeFeedInterval() throws Exception {
        waitFor(By.cssSelector("tr[data-key-id='" + aliceFirstKeyId + "'] button.revoke-key")).click();
        waitFor(By.id("confirm-ok"));
        screenshot("self-serve-7-revoke.png");
        driver.findElement(By.id("confirm-ok")).click();
        BROWSER.waiting().until(d -> "revoked".equals(badgeOf(aliceFirstKeyId)));
        Instant revoked = Instant.now();

        await().atMost(CHANGE_FEED_DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(() -> status(aliceFirstKey) == 401);
        assertThat(Duration.between(revoked, Instant.now())).isLessThan(CHANGE_FEED_DEADLINE);
        assertThat(whoami(aliceRolledKey, 200).get("sub").asText()).isEqualTo("alice");
        assertThat(keys.audit().list(5, null).data()).extracting(e -> e.actor()).contains("manager:alice");

        driver.findElement(By.id("back")).click();
        waitFor(By.id("open-portal"));
        assertThat(driver.getCurrentUrl()).isEqualTo(base + "/settings/api-keys");
    }

    @Test
    @Order(4)
    void signInWhenBobThenHisOwnConsumerOnlyAndNoneOfAlicesKeys() throws Exception {
        signOut();
        signIn("bob", "bob-demo");
        String bobKey = waitFor(By.id("new-key-value")).getAttribute("value");
        assertThat(whoami(bobKey, 200).get("sub").asText()).isEqualTo("bob");

        openPortalFromSettings(null);
        waitFor(By.cssSelector("section[data-consumer='bob']"));
        assertThat(waitFor(By.id("who")).getText()).isEqualTo("bob");
        assertThat(driver.findElements(By.cssSelector("section[data-consumer]"))).hasSize(1);
        for (ApiKey key : keys.keys().list(BUCKET, "alice", null)) {
            assertThat(pageContains(key.id())).isFalse();
        }
        assertThat(pageContains("rolled")).isFalse();
        screenshot("self-serve-8-bob-portal.png");
    }

    @Test
    @Order(5)
    void openLinkWhenForgedOrExpiredThenRefused() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        openLink(Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        assertThat(waitFor(By.id("portal-message")).getText()).contains("This link cannot be used");

        // opened two hours ago for the shortest lifetime: expired an hour and 59 minutes ago, without waiting
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        KeyManagement then = new KeyManagement(database, ApiKeyFormat.crc32(), null, past);
        String expired = then.portal().open("test", BUCKET, "alice", base + "/settings/api-keys",
                Duration.ofSeconds(60)).token();
        openLink(expired);
        assertThat(waitFor(By.id("portal-message")).getText()).contains("This link cannot be used");
        assertThat(driver.findElements(By.cssSelector("section[data-consumer]"))).isEmpty();
        screenshot("self-serve-9-refused.png");
    }

    @Test
    @Order(6)
    void resizeWhenFourHundredPixelsWideThenSettingsAndPortalFitWithoutSidewaysScrolling() {
        driver.manage().window().setSize(new Dimension(400, 900));
        try {
            driver.get(base + "/settings/api-keys");
            waitFor(By.id("open-portal"));
            assertThat(noSidewaysScrolling()).isTrue();
            screenshot("self-serve-10-settings-400px.png");
            driver.findElement(By.id("open-portal")).click();
            waitFor(By.cssSelector("section[data-consumer='bob'] form.roll-keys"));
            assertThat(noSidewaysScrolling()).isTrue();
            screenshot("self-serve-11-portal-400px.png");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    private void signIn(String user, String password) {
        driver.get(base + "/home");
        waitFor(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("signin")).click();
        BROWSER.waiting().until(d -> user.equals(d.findElements(By.id("user")).stream()
                .map(WebElement::getText).findFirst().orElse(null)));
    }

    private void signOut() {
        driver.get(base + "/home");
        waitFor(By.id("signout")).click();
        waitFor(By.id("username"));
    }

    private void openPortalFromSettings(String screenshot) {
        driver.get(base + "/home");
        waitFor(By.id("nav-api-keys")).click();
        waitFor(By.id("open-portal"));
        if (screenshot != null) {
            screenshot(screenshot);
        }
        driver.findElement(By.id("open-portal")).click();
        BROWSER.waiting().until(d -> d.getCurrentUrl().equals(base + SelfServeApp.ADMIN_PATH + "/portal/"));
    }

    private void openLink(String token) {
        driver.get("about:blank");
        driver.get(base + SelfServeApp.ADMIN_PATH + "/portal/#" + token);
    }

    private WebElement waitFor(By locator) {
        return BROWSER.waiting().until(visibilityOfElementLocated(locator));
    }

    /** The state badge of a key's row, read in one script: the portal re-renders rows after each change. */
    private String badgeOf(String keyId) {
        return (String) js("const row = document.querySelector(`tr[data-key-id='${arguments[0]}']`);"
                + "const cell = row && row.querySelector('.badge'); return cell ? cell.textContent : null;", keyId);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private boolean pageContains(String text) {
        return Boolean.TRUE.equals(js("const t = arguments[0];"
                + "return document.documentElement.outerHTML.includes(t)"
                + " || [...document.querySelectorAll('input, textarea')].some(i => i.value.includes(t));", text));
    }

    private boolean noSidewaysScrolling() {
        return Boolean.TRUE.equals(js("return document.documentElement.scrollWidth <= window.innerWidth"));
    }

    private void screenshot(String name) {
        js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);"
                + "document.querySelectorAll('*').forEach(e => { e.scrollLeft = 0; });");
        BROWSER.screenshot(Path.of(PAGES, name));
    }

    private static int status(String key) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/whoami"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static JsonNode whoami(String key, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/whoami"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
