package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.persistence.PortalLink;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The self-serve portal in headless Chromium, 400 px wide as on a phone: one manager opens a link, sees their
 * keys masked, creates a key (shown once, copied), rolls with a one-hour transition, revokes after confirming,
 * relabels a key; forged and reused links are refused. Screenshots go to {@value #PAGES} (portal-*.png).
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserTest {

    static final String PAGES = "target/screenshots/pages";
    private static final String MANAGER = "alice@example.com";
    private static final String RETURN_URL = "https://app.example.com/settings/api-keys";

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-portal-ui");

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    private static ChromeDriver driver;
    private static GatekeyDatabase database;
    private static KeyManagement keys;
    private static Consumer mine;
    private static Consumer theirs;
    private static String usedToken;

    @ArquillianResource
    private URL base;

    private URI root;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return UiDeployment.archive(DEPLOYMENT);
    }

    @BeforeAll
    static void arrange() {
        driver = BROWSER.start();
        driver.manage().window().setSize(new Dimension(400, 900));
        database = DEPLOYMENT.openDatabase();
        keys = DEPLOYMENT.keyManagement(database);
        keys.buckets().create("test", "weather", "Weather API", "weather", false);
        mine = keys.consumers().create("test", "weather", new NewConsumer("alice-app", "Alice's dashboard", null,
                null, List.of(MANAGER)), true);
        keys.keys().update("test", "weather", mine.name(), mine.apiKeys().get(0).id(),
                dev.gatekey.persistence.KeyChanges.description("production"));
        theirs = keys.consumers().create("test", "weather", new NewConsumer("bob-app", null, null, null,
                List.of("bob@example.com")), true);
    }

    @AfterAll
    static void close() {
        BROWSER.quit();
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void root() {
        root = UiDeployment.root(base);
    }

    private String link(String manager) {
        return keys.portal().open("test", "weather", manager, RETURN_URL, null).token();
    }

    /** Opens a portal link as a fresh page load (a fragment change alone would not reload the page). */
    private void openLink(String token) {
        driver.get("about:blank");
        driver.get(root + "portal/#" + token);
    }

    private WebElement waitFor(By locator) {
        return BROWSER.waiting().until(visibilityOfElementLocated(locator));
    }

    private WebElement keyRow(String keyId) {
        return waitFor(By.cssSelector("tr[data-key-id='" + keyId + "']"));
    }

    /** A cell's text, read in one script: the page re-renders rows after each change. */
    private String cellOf(String keyId, String selector) {
        return (String) js("const row = document.querySelector(`tr[data-key-id='${arguments[0]}']`);"
                + "const cell = row && row.querySelector(arguments[1]); return cell ? cell.textContent : null;",
                keyId, selector);
    }

    private String stateOf(String keyId) {
        keyRow(keyId);
        return cellOf(keyId, ".badge");
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private boolean pageContains(String text) {
        return Boolean.TRUE.equals(js("const t = arguments[0];"
                + "return document.documentElement.outerHTML.includes(t)"
                + " || [...document.querySelectorAll('input, textarea')].some(i => i.value.includes(t));", text));
    }

    private void screenshot(String name) {
        js("document.activeElement.blur(); window.scrollTo(0, 0);");
        BROWSER.screenshot(Path.of(PAGES, name));
    }

    private boolean noSidewaysScrolling() {
        return Boolean.TRUE.equals(js("return document.documentElement.scrollWidth <= window.innerWidth"));
    }

    private WebElement card() {
        return waitFor(By.cssSelector("section[data-consumer='alice-app']"));
    }

    private List<ApiKey> aliceKeys() {
        return keys.keys().list("weather", mine.name(), null);
    }

    @Test
    @Order(1)
    void openLinkWhenValidThenTheManagersKeysMaskedAndTheTokenGoneFromTheAddressBar() {
        usedToken = link(MANAGER);
        openLink(usedToken);

        WebElement row = keyRow(mine.apiKeys().get(0).id());
        assertThat(row.getText()).contains("production").contains("…");
        assertThat(pageContains(mine.apiKeys().get(0).key())).isFalse();
        assertThat(driver.findElements(By.cssSelector("section[data-consumer='bob-app']"))).isEmpty();
        assertThat(driver.getCurrentUrl()).doesNotContain(usedToken).endsWith("/portal/");
        assertThat(waitFor(By.id("who")).getText()).isEqualTo(MANAGER);
        assertThat(waitFor(By.id("back")).getAttribute("href")).isEqualTo(RETURN_URL);
        Cookie cookie = driver.manage().getCookieNamed("GATEKEY_PORTAL");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getPath()).endsWith("/portal");
        assertThat(noSidewaysScrolling()).isTrue();
        screenshot("portal-keys.png");
    }

    @Test
    @Order(2)
    void createKeyWhenSubmittedThenShownOnceWithCopyAndNeverAgain() {
        BROWSER.grantClipboard(root.getScheme() + "://" + root.getAuthority());
        WebElement form = card().findElement(By.cssSelector("form.create-key"));
        form.findElement(By.cssSelector("input.new-label")).sendKeys("CI server");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        String key = waitFor(By.id("new-key-value")).getAttribute("value");
        assertThat(ApiKeyFormat.crc32().isValid(key)).isTrue();
        assertThat(noSidewaysScrolling()).isTrue();
        screenshot("portal-new-key.png");
        driver.findElement(By.id("new-key-copy")).click();
        BROWSER.waiting().until(textToBePresentInElementLocated(By.cssSelector("#new-key .status"), "Copied"));
        Object clipboard = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[0];"
                + "navigator.clipboard.readText().then(done, e => done('clipboard error: ' + e));");
        assertThat(clipboard).isEqualTo(key);
        driver.findElement(By.id("new-key-done")).click();
        BROWSER.waiting().until(invisibilityOfElementLocated(By.id("new-key")));
        assertThat(pageContains(key)).isFalse();
        assertThat(aliceKeys()).extracting(ApiKey::description).contains("CI server");
    }

    @Test
    @Order(3)
    void rollWhenOneHourChosenThenOldKeysExpiringAndTheNewKeyShownOnce() {
        String oldKey = mine.apiKeys().get(0).id();
        WebElement form = card().findElement(By.cssSelector("form.roll-keys"));
        assertThat(new Select(form.findElement(By.cssSelector("select.transition"))).getOptions())
                .extracting(WebElement::getText).containsExactly("Now (revoke the old keys at once)", "In 1 hour",
                        "In 24 hours", "In 72 hours", "In 7 days");
        new Select(form.findElement(By.cssSelector("select.transition"))).selectByValue("3600");
        form.findElement(By.cssSelector("input.roll-label")).sendKeys("rolled");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        String key = waitFor(By.id("new-key-value")).getAttribute("value");
        assertThat(ApiKeyFormat.crc32().isValid(key)).isTrue();
        driver.findElement(By.id("new-key-done")).click();
        BROWSER.waiting().until(d -> "expiring".equals(stateOf(oldKey)));
        ApiKey old = keys.keys().get("weather", mine.name(), oldKey, null);
        assertThat(old.expiresOn()).isBetween(Instant.now().plus(Duration.ofMinutes(58)),
                Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(aliceKeys()).filteredOn(k -> "rolled".equals(k.description())).hasSize(1);
    }

    @Test
    @Order(4)
    void revokeWhenConfirmedThenRevokedAndWhenCancelledThenUntouched() {
        String keyId = aliceKeys().stream().filter(k -> "rolled".equals(k.description())).findFirst().orElseThrow().id();
        keyRow(keyId).findElement(By.cssSelector("button.revoke-key")).click();
        waitFor(By.id("confirm-cancel")).click();
        BROWSER.waiting().until(invisibilityOfElementLocated(By.id("confirm-dialog")));
        assertThat(stateOf(keyId)).isEqualTo("active");

        keyRow(keyId).findElement(By.cssSelector("button.revoke-key")).click();
        assertThat(waitFor(By.id("confirm-text")).getText()).contains("rolled");
        screenshot("portal-revoke.png");
        driver.findElement(By.id("confirm-ok")).click();

        BROWSER.waiting().until(d -> "revoked".equals(stateOf(keyId)));
        assertThat(keys.keys().get("weather", mine.name(), keyId, null).revokedOn()).isNotNull();
        assertThat(keys.audit().list(1, null).data().get(0).actor()).isEqualTo("manager:" + MANAGER);
    }

    @Test
    @Order(5)
    void labelWhenSavedThenTheRowShowsIt() {
        String keyId = mine.apiKeys().get(0).id();
        keyRow(keyId).findElement(By.cssSelector("button.label-key")).click();
        WebElement input = waitFor(By.id("label-input"));
        assertThat(input.getAttribute("value")).isEqualTo("production");
        input.clear();
        input.sendKeys("old production");
        driver.findElement(By.id("label-save")).click();

        BROWSER.waiting().until(d -> "old production".equals(cellOf(keyId, "td.label")));
        assertThat(keys.keys().get("weather", mine.name(), keyId, null).description()).isEqualTo("old production");
        assertThat(noSidewaysScrolling()).isTrue();
        screenshot("portal-after.png");
    }

    @Test
    @Order(6)
    void labelWhenTooLongThenTheErrorIsShownNextToTheField() {
        String keyId = mine.apiKeys().get(0).id();
        keyRow(keyId).findElement(By.cssSelector("button.label-key")).click();
        WebElement input = waitFor(By.id("label-input"));
        js("arguments[0].removeAttribute('maxlength'); arguments[0].value = 'x'.repeat(1001);", input);
        driver.findElement(By.id("label-save")).click();

        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("label-error"), "at most 1000"));
        driver.findElement(By.id("label-cancel")).click();
        assertThat(keys.keys().get("weather", mine.name(), keyId, null).description()).isEqualTo("old production");
    }

    @Test
    @Order(7)
    void openLinkWhenReusedOrForgedThenRefusedReadably() {
        openLink(usedToken);
        assertThat(waitFor(By.id("portal-message")).getText()).contains("This link cannot be used")
                .contains("not valid, has expired or was already used");
        String fresh = link(MANAGER);
        openLink(fresh.substring(0, 42) + (fresh.endsWith("A") ? "B" : "A"));
        assertThat(waitFor(By.id("portal-message")).getText()).contains("This link cannot be used");
        screenshot("portal-refused.png");
    }

    @Test
    @Order(8)
    void openLinkWhenExpiredThenRefused() {
        KeyManagement past = new KeyManagement(database, ApiKeyFormat.crc32(), null,
                java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(-1)));
        PortalLink expired = past.portal().open("test", "weather", MANAGER, null, Duration.ofSeconds(60));
        openLink(expired.token());
        assertThat(waitFor(By.id("portal-message")).getText()).contains("This link cannot be used");
    }

    @Test
    @Order(9)
    void signOutWhenClickedThenTheSessionEnds() {
        openLink(link(MANAGER));
        card();
        driver.findElement(By.id("sign-out")).click();
        assertThat(waitFor(By.id("portal-message")).getText()).contains("Signed out");
        driver.get("about:blank");
        driver.get(root + "portal/");
        assertThat(waitFor(By.id("portal-message")).getText()).contains("Your session has ended");
        assertThat(BROWSER.consoleMessages()).noneMatch(m -> m.contains("Content Security Policy"));
        assertThat(theirs.apiKeys().get(0).revokedOn()).isNull();
    }
}
