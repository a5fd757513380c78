package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.testsupport.http.Http;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The webhooks page in headless Chromium: create with the secret shown once (copy), the API's field messages,
 * send a test event that a real local receiver gets signed, disable/enable, the deliveries view (status, attempts,
 * last response code, next retry), and no controls for viewers. Screenshots go to {@value AdminUiBrowserTest#PAGES}.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksBrowserTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-webhooks");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    private static ChromeDriver driver;
    private static GatekeyDatabase database;
    private static String viewerKey;
    private static SignedWebhookReceiver receiver;
    /** The endpoint created through the page, and its secret as the page showed it. */
    private static String webhookId;
    private static String secret;

    @ArquillianResource
    private URL base;

    private URI root;
    private Http admin;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return UiDeployment.archive(DEPLOYMENT);
    }

    @BeforeAll
    static void arrange() {
        driver = BROWSER.start();
        database = DEPLOYMENT.openDatabase();
        KeyManagement keys = DEPLOYMENT.keyManagement(database);
        viewerKey = keys.consumers().create("test", "gatekey-admin", new NewConsumer("hook-auditor", null,
                Map.of("roles", List.of("viewer")), null), true).apiKeys().get(0).key();
        SeenKeys.ALL.add(viewerKey);
        receiver = new SignedWebhookReceiver();
    }

    @AfterAll
    static void close() {
        BROWSER.quit();
        receiver.close();
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void clients() {
        root = UiDeployment.root(base);
        admin = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey());
        SeenKeys.ALL.add(DEPLOYMENT.adminKey());
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private WebElement waitFor(By locator) {
        return BROWSER.waiting().until(visibilityOfElementLocated(locator));
    }

    private void signIn(String key, String who) {
        driver.get(root.toString());
        BROWSER.waiting().until(d -> !d.findElements(By.id("signin-form")).isEmpty()
                || d.findElement(By.id("topbar")).isDisplayed());
        if (driver.findElements(By.id("signin-form")).isEmpty()) {
            if (driver.findElement(By.id("who")).getText().equals(who)) {
                return;
            }
            driver.findElement(By.id("sign-out")).click();
        }
        waitFor(By.id("signin-key")).sendKeys(key + Keys.ENTER);
        BROWSER.waiting().until(textToBe(By.id("who"), who));
    }

    private void openWebhooks() {
        signIn(DEPLOYMENT.adminKey(), "admin (admin)");
        driver.get(root + "#/webhooks");
        waitFor(By.id("webhooks-table"));
    }

    private By row(String id) {
        return By.cssSelector("tr[data-webhook-id='" + id + "']");
    }

    /** Waits until the first delivery row (re-rendered as the page loads) shows every text. */
    private void waitForRow(String... texts) {
        BROWSER.waiting().ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#deliveries-table tbody tr")).stream().findFirst()
                        .map(r -> List.of(texts).stream().allMatch(r.getText()::contains)).orElse(false));
    }

    private void pageScreenshot(String name) {
        js("document.activeElement.blur(); window.scrollTo(0, 0);");
        BROWSER.screenshot(Path.of(AdminUiBrowserTest.PAGES, name));
    }

    @Test
    @Order(1)
    void createWhenRemoteHttpUrlThenFieldMessageOfTheApi() {
        openWebhooks();
        driver.findElement(By.id("webhook-url")).sendKeys("http://hooks.example.com/gatekey");
        driver.findElement(By.cssSelector("#webhook-form button[type=submit]")).click();
        BROWSER.waiting().until(textToBe(By.id("webhook-url-error"),
                "Url must use https (http is allowed for loopback addresses only)"));
    }

    @Test
    @Order(2)
    void createWhenValidThenSecretShownOnceAndCopied() {
        openWebhooks();
        BROWSER.grantClipboard(root.getScheme() + "://" + root.getAuthority());
        driver.findElement(By.id("webhook-url")).sendKeys(receiver.url());
        driver.findElement(By.id("webhook-description")).sendKeys("Operations alerts");
        driver.findElement(By.id("webhook-event-all")).click();
        driver.findElement(By.id("webhook-event-key.expiring")).click();
        driver.findElement(By.id("webhook-event-key.leaked")).click();
        driver.findElement(By.cssSelector("#webhook-form button[type=submit]")).click();

        secret = waitFor(By.id("new-secret-value")).getAttribute("value");
        assertThat(secret).startsWith("whsec_");
        driver.findElement(By.id("new-secret-copy")).click();
        BROWSER.waiting().until(textToBePresentInElementLocated(By.cssSelector("#new-secret .status"), "Copied"));
        Object clipboard = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[0];"
                + "navigator.clipboard.readText().then(done, e => done('clipboard error: ' + e));");
        assertThat(clipboard).isEqualTo(secret);

        JsonNode listed = admin.api("GET", "/webhooks").json().path("data").get(0);
        webhookId = listed.path("id").asText();
        assertThat(listed.has("secret")).isFalse();
        assertThat(listed.path("events").toString()).isEqualTo("[\"key.expiring\",\"key.leaked\"]");
        assertThat(driver.findElement(row(webhookId)).getText()).contains("key.expiring, key.leaked", "enabled");
        pageScreenshot("webhooks-secret.png");

        driver.findElement(By.id("new-secret-done")).click();
        BROWSER.waiting().until(d -> d.findElements(By.id("new-secret-value")).isEmpty());
        driver.navigate().refresh();
        waitFor(row(webhookId));
        assertThat((Boolean) js("return document.documentElement.outerHTML.includes(arguments[0])", secret)).isFalse();
    }

    @Test
    @Order(3)
    void sendTestWhenClickedThenReceiverGetsSignedTestEvent() {
        openWebhooks();
        driver.findElement(row(webhookId)).findElement(By.cssSelector("[data-action=test]")).click();
        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("global-status"), "queued"));
        String eventId = driver.findElement(By.id("global-status")).getText().split(" ")[2];
        SignedWebhookReceiver.awaitCondition(WAIT, "the test event", () -> receiver.received.stream()
                .anyMatch(r -> eventId.equals(r.id())));
        SignedWebhookReceiver.Received got = receiver.received.stream().filter(r -> eventId.equals(r.id()))
                .findFirst().orElseThrow();
        assertThat(got.body()).startsWith("{\"type\":\"webhook.test\"");
        assertThat(got.signedWith(secret)).isTrue();
    }

    @Test
    @Order(4)
    void toggleWhenDisabledThenBadgeAndApiSayDisabledAndEnableRestores() {
        openWebhooks();
        driver.findElement(row(webhookId)).findElement(By.cssSelector("[data-action=toggle]")).click();
        BROWSER.waiting().ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(row(webhookId)).getText().contains("disabled"));
        assertThat(admin.api("GET", "/webhooks/" + webhookId).json().path("enabled").asBoolean()).isFalse();
        driver.findElement(row(webhookId)).findElement(By.cssSelector("[data-action=toggle]")).click();
        BROWSER.waiting().ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(row(webhookId)).getText().contains("enabled"));
        assertThat(admin.api("GET", "/webhooks/" + webhookId).json().path("enabled").asBoolean()).isTrue();
    }

    @Test
    @Order(5)
    void deliveriesWhenOpenedThenStatusAttemptsResponseCodeAndNextRetry() {
        Http.Response failing = admin.api("POST", "/webhooks", Map.of("url", receiver.failingUrl(), "events",
                List.of("*"), "description", "Billing (down)"));
        String failingId = failing.json().path("id").asText();
        String deliveries = "/webhooks/" + failingId + "/deliveries";
        admin.api("POST", "/webhooks/" + failingId + "/test");
        SignedWebhookReceiver.awaitCondition(WAIT, "the first failed attempt", () -> admin.api("GET", deliveries)
                .json().path("data").get(0).path("attempts").asInt() == 1);
        openWebhooks();
        pageScreenshot("webhooks.png");

        driver.findElement(row(failingId)).findElement(By.tagName("a")).click();
        JsonNode delivery = admin.api("GET", deliveries).json().path("data").get(0);
        waitForRow("webhook.test", "pending", "1", "503", "HTTP 503",
                delivery.path("nextAttemptOn").asText().replace("T", " ").substring(0, 16));
        pageScreenshot("webhook-deliveries.png");

        driver.get(root + "#/webhooks/" + webhookId);
        waitForRow("webhook.test", "succeeded", "204");
    }

    @Test
    @Order(6)
    void viewWhenViewerThenNoControls() {
        signIn(viewerKey, "hook-auditor (viewer)");
        driver.get(root + "#/webhooks");
        waitFor(row(webhookId));
        assertThat(driver.findElements(By.id("webhook-form"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("[data-action]"))).isEmpty();
    }
}
