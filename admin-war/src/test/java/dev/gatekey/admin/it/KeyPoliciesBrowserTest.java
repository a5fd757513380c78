package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
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
import java.util.ArrayList;
import java.util.HashMap;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * Key policies on the keys page in headless Chromium (issue 18): scopes, allowed IPs and credits shown, edited
 * ({@code PATCH .../keys/{id}}), adjusted ({@code POST .../keys/{id}/credits}), refused with the API's field
 * messages, and shown without controls to viewers. Keys with policies are arranged through the admin API.
 * Screenshots of the page go to {@value AdminUiBrowserTest#PAGES}.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyPoliciesBrowserTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-policies");
    private static final String BUCKET = "api";

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    private static ChromeDriver driver;
    private static GatekeyDatabase database;
    private static String viewerKey;
    /** Key ids by consumer name, made once the deployment's URL is known. */
    private static Map<String, String> keyIds;

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
        keys.buckets().create("test", BUCKET, "Metered API", "api", false);
        for (String consumer : List.of("metered", "editable", "refused", "adjusted", "overdrawn", "spent", "unmetered")) {
            keys.consumers().create("test", BUCKET, NewConsumer.named(consumer), false);
        }
        viewerKey = keys.consumers().create("test", "gatekey-admin", new NewConsumer("auditor", null,
                Map.of("roles", List.of("viewer")), null), true).apiKeys().get(0).key();
        SeenKeys.ALL.add(viewerKey);
    }

    @AfterAll
    static void close() {
        BROWSER.quit();
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void arrangeKeys() {
        root = UiDeployment.root(base);
        admin = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey());
        SeenKeys.ALL.add(DEPLOYMENT.adminKey());
        if (keyIds != null) {
            return;
        }
        Map<String, Object> metered = Map.of("scopes", List.of("orders:read", "orders:write"),
                "allowedIps", List.of("10.0.0.0/8", "2001:db8::/32"),
                "credits", Map.of("remaining", 950, "refill", Map.of("interval", "monthly", "amount", 1000,
                        "refillDay", 5)));
        Map<String, Object> limited = Map.of("credits", Map.of("remaining", 10));
        // a second key of the same consumer, for the screenshot: read-only from anywhere, unlimited
        createKey("metered", "reporting", Map.of("scopes", List.of("orders:read")));
        keyIds = Map.of(
                "metered", createKey("metered", metered),
                "editable", createKey("editable", Map.of()),
                "refused", createKey("refused", Map.of()),
                "adjusted", createKey("adjusted", limited),
                "overdrawn", createKey("overdrawn", limited),
                "spent", createKey("spent", limited),
                "unmetered", createKey("unmetered", Map.of()));
    }

    private String createKey(String consumer, Map<String, Object> policy) {
        return createKey(consumer, consumer + " key", policy);
    }

    private String createKey(String consumer, String description, Map<String, Object> policy) {
        Map<String, Object> body = new HashMap<>(policy);
        body.put("description", description);
        Http.Response created = admin.api("POST", keysPath(consumer), body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private static String keysPath(String consumer) {
        return "/buckets/" + BUCKET + "/consumers/" + consumer + "/keys";
    }

    private JsonNode keyView(String consumer) {
        Http.Response key = admin.api("GET", keysPath(consumer) + "/" + keyIds.get(consumer));
        assertThat(key.status()).as(key.toString()).isEqualTo(200);
        return key.json();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private WebElement waitFor(By locator) {
        return BROWSER.waiting().until(visibilityOfElementLocated(locator));
    }

    private By row(String consumer) {
        return By.cssSelector("tr[data-key-id='" + keyIds.get(consumer) + "']");
    }

    private By cell(String consumer, String column) {
        return By.cssSelector("tr[data-key-id='" + keyIds.get(consumer) + "'] td." + column);
    }

    /** Signs in with {@code key}, signing out first when the browser's session is someone else's. */
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

    private void signInAsAdmin() {
        signIn(DEPLOYMENT.adminKey(), "admin (admin)");
    }

    private void openKeysOf(String consumer) {
        driver.get(root + "#/buckets/" + BUCKET + "/consumers/" + consumer);
        waitFor(row(consumer));
    }

    private void openPolicyOf(String consumer) {
        openKeysOf(consumer);
        driver.findElement(row(consumer)).findElement(By.cssSelector(".edit-policy")).click();
        waitFor(By.id("policy-panel"));
    }

    private void type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    /** A screenshot of the page from its top, no field focused. */
    private void pageScreenshot(String name) {
        js("document.activeElement.blur(); window.scrollTo(0, 0);");
        BROWSER.screenshot(Path.of(AdminUiBrowserTest.PAGES, name));
    }

    @Test
    @Order(1)
    void showKeysWhenPoliciesSetThenScopesAddressesAndCreditsShown() {
        signInAsAdmin();
        openKeysOf("metered");

        assertThat(driver.findElement(By.cssSelector("#keys-table thead")).getText())
                .contains("Scopes", "Allowed IPs", "Credits");
        assertThat(driver.findElement(cell("metered", "scopes")).getText()).contains("orders:read", "orders:write");
        assertThat(driver.findElement(cell("metered", "ips")).getText()).contains("10.0.0.0/8", "2001:db8::/32");
        String credits = driver.findElement(cell("metered", "credits")).getText();
        assertThat(credits).contains("950 left", "refills to 1,000 monthly on day 5", "next ", "-05 00:00 UTC");
        pageScreenshot("keys-policies.png");
    }

    @Test
    @Order(1)
    void showKeysWhenNoPolicyThenNoneAnywhereAndUnlimited() {
        signInAsAdmin();
        openKeysOf("unmetered");

        assertThat(driver.findElement(cell("unmetered", "scopes")).getText()).isEqualTo("none");
        assertThat(driver.findElement(cell("unmetered", "ips")).getText()).isEqualTo("anywhere");
        assertThat(driver.findElement(cell("unmetered", "credits")).getText()).isEqualTo("unlimited");
    }

    @Test
    @Order(1)
    void showKeysWhenWindowNarrowThenEachValueUnderItsColumnNameWithoutSidewaysScrolling() {
        signInAsAdmin();
        try {
            driver.manage().window().setSize(new Dimension(400, 900));
            openKeysOf("metered");
            BROWSER.waiting().until(d -> Boolean.TRUE.equals(js(
                    "return document.documentElement.scrollWidth <= window.innerWidth")));
            WebElement credits = driver.findElement(cell("metered", "credits"));
            assertThat(js("return getComputedStyle(arguments[0], '::before').content", credits))
                    .isEqualTo("\"Credits\"");
            assertThat(credits.getRect().getWidth()).isLessThanOrEqualTo(400);
            pageScreenshot("keys-policies-narrow.png");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    @Order(2)
    void editPolicyWhenSavedThenPatchedAndShownInTheTable() {
        signInAsAdmin();
        openPolicyOf("editable");
        assertThat(driver.findElement(By.id("policy-title")).getText()).isEqualTo("Policy of key editable key");

        type("policy-scopes", "reports:read, reports:export");
        type("policy-allowed-ips", "203.0.113.0/24\n2001:db8:1::/48");
        new Select(driver.findElement(By.id("policy-credits-mode"))).selectByValue("limited");
        type("policy-credits-remaining", "500");
        new Select(driver.findElement(By.id("policy-refill-interval"))).selectByValue("daily");
        type("policy-refill-amount", "500");
        js("document.activeElement.blur(); document.getElementById('policy-panel').scrollIntoView();");
        BROWSER.screenshot(Path.of(AdminUiBrowserTest.PAGES, "keys-policy-panel.png"));
        driver.findElement(By.id("policy-submit")).click();

        BROWSER.waiting().until(textToBe(By.id("keys-status"), "Policy of key editable key saved."));
        BROWSER.waiting().until(invisibilityOfElementLocated(By.id("policy-panel")));
        JsonNode saved = keyView("editable");
        assertThat(texts(saved.path("scopes"))).containsExactlyInAnyOrder("reports:read", "reports:export");
        assertThat(texts(saved.path("allowedIps"))).containsExactly("203.0.113.0/24", "2001:db8:1::/48");
        assertThat(saved.path("credits").path("remaining").asLong()).isEqualTo(500);
        assertThat(saved.path("credits").path("refill").path("interval").asText()).isEqualTo("daily");
        assertThat(saved.path("credits").path("refill").path("amount").asLong()).isEqualTo(500);
        assertThat(driver.findElement(cell("editable", "credits")).getText())
                .contains("500 left", "refills to 500 daily");
        assertThat(driver.findElement(cell("editable", "scopes")).getText()).contains("reports:export");
    }

    @Test
    @Order(2)
    void editPolicyWhenOnlyScopesChangedThenCreditsSpentMeanwhileStaySpent() {
        signInAsAdmin();
        openPolicyOf("spent");
        Http.Response spent = admin.api("POST", keysPath("spent") + "/" + keyIds.get("spent") + "/credits",
                Map.of("op", "decrement", "amount", 4));
        assertThat(spent.status()).as(spent.toString()).isEqualTo(200);

        type("policy-scopes", "orders:read");
        driver.findElement(By.id("policy-submit")).click();

        BROWSER.waiting().until(textToBe(By.id("keys-status"), "Policy of key spent key saved."));
        JsonNode saved = keyView("spent");
        assertThat(texts(saved.path("scopes"))).containsExactly("orders:read");
        assertThat(saved.path("credits").path("remaining").asLong()).isEqualTo(6);
    }

    @Test
    @Order(2)
    void editPolicyWhenScopeMalformedThenTheApiMessageNextToScopesAndNothingSent() {
        signInAsAdmin();
        openPolicyOf("refused");

        type("policy-scopes", "orders:read Orders");
        driver.findElement(By.id("policy-submit")).click();

        BROWSER.waiting().until(textToBe(By.id("policy-scopes-error"),
                "Scope must match ^[a-z][a-z0-9:._-]{0,63}$"));
        assertThat(driver.findElement(By.id("policy-scopes")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.findElement(By.id("policy-scopes")).getAttribute("aria-describedby"))
                .contains("policy-scopes-error");
        assertThat(keyView("refused").path("scopes").size()).isZero();
    }

    @Test
    @Order(3)
    void editPolicyWhenServerRefusesAnAddressThenItsMessageNextToAllowedIps() {
        signInAsAdmin();
        openPolicyOf("refused");

        // looks like an address, so only the server's CIDR parser can refuse it
        type("policy-allowed-ips", "10.0.0.0/8\n10.0.0.0/33");
        driver.findElement(By.id("policy-submit")).click();

        BROWSER.waiting().until(textToBe(By.id("policy-allowed-ips-error"),
                "Not an IPv4 or IPv6 CIDR: 10.0.0.0/33"));
        assertThat(driver.findElement(By.id("policy-form-error")).getText()).startsWith("Some values are not valid");
        assertThat(keyView("refused").path("allowedIps").size()).isZero();
    }

    @Test
    @Order(3)
    void createKeyWhenRefillAmountZeroThenTheApiMessageNextToTheAmount() {
        signInAsAdmin();
        openKeysOf("refused");
        new Select(waitFor(By.id("key-credits-mode"))).selectByValue("limited");
        type("key-credits-remaining", "100");
        new Select(driver.findElement(By.id("key-refill-interval"))).selectByValue("monthly");
        type("key-refill-amount", "0");

        driver.findElement(By.id("key-create")).click();

        BROWSER.waiting().until(textToBe(By.id("key-refill-amount-error"), "Must be > 0"));
        assertThat(driver.findElements(By.cssSelector("#keys-table tbody tr[data-key-id]"))).hasSize(1);
    }

    @Test
    @Order(3)
    void createKeyWhenPolicyGivenThenTheNewKeyCarriesIt() {
        signInAsAdmin();
        openKeysOf("unmetered");
        type("key-label", "with policy");
        type("key-scopes", "orders:read");
        type("key-allowed-ips", "192.0.2.10");
        new Select(driver.findElement(By.id("key-credits-mode"))).selectByValue("limited");
        type("key-credits-remaining", "25");

        driver.findElement(By.id("key-create")).click();

        SeenKeys.ALL.add(waitFor(By.id("new-key-value")).getDomProperty("value"));
        driver.findElement(By.id("new-key-done")).click();
        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("keys-table"), "with policy"));
        WebElement row = driver.findElements(By.cssSelector("#keys-table tbody tr")).stream()
                .filter(r -> r.getText().contains("with policy")).findFirst().orElseThrow();
        assertThat(row.findElement(By.cssSelector("td.scopes")).getText()).isEqualTo("orders:read");
        assertThat(row.findElement(By.cssSelector("td.ips")).getText()).isEqualTo("192.0.2.10");
        assertThat(row.findElement(By.cssSelector("td.credits")).getText()).isEqualTo("25 left");
    }

    @Test
    @Order(4)
    void adjustCreditsWhenSubtractedThenTheNewRemainingShown() {
        signInAsAdmin();
        openPolicyOf("adjusted");

        new Select(driver.findElement(By.id("credits-op"))).selectByValue("decrement");
        type("credits-amount", "3");
        driver.findElement(By.id("credits-submit")).click();

        BROWSER.waiting().until(textToBe(By.id("credits-status"), "Credits of key adjusted key: 7 left."));
        BROWSER.waiting().until(textToBePresentInElementLocated(cell("adjusted", "credits"), "7 left"));
        assertThat(keyView("adjusted").path("credits").path("remaining").asLong()).isEqualTo(7);
    }

    @Test
    @Order(4)
    void adjustCreditsWhenSubtractingMoreThanLeftThenTheApiMessageNextToTheAmount() {
        signInAsAdmin();
        openPolicyOf("overdrawn");

        new Select(driver.findElement(By.id("credits-op"))).selectByValue("decrement");
        type("credits-amount", "11");
        driver.findElement(By.id("credits-submit")).click();

        BROWSER.waiting().until(textToBe(By.id("credits-amount-error"), "Would make remaining negative"));
        assertThat(keyView("overdrawn").path("credits").path("remaining").asLong()).isEqualTo(10);
    }

    @Test
    @Order(4)
    void adjustCreditsWhenKeyUnlimitedAndAddingThenTheConflictShown() {
        signInAsAdmin();
        openPolicyOf("unmetered");

        new Select(driver.findElement(By.id("credits-op"))).selectByValue("increment");
        type("credits-amount", "5");
        driver.findElement(By.id("credits-submit")).click();

        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("credits-form-error"),
                "the key has unlimited credits"));
        assertThat(keyView("unmetered").path("credits").isNull()).isTrue();
    }

    @Test
    @Order(9)
    void showKeysWhenViewerThenPoliciesWithoutEditControls() {
        signIn(viewerKey, "auditor (viewer)");
        openKeysOf("metered");

        assertThat(driver.findElement(cell("metered", "credits")).getText()).contains("950 left");
        assertThat(driver.findElement(cell("metered", "scopes")).getText()).contains("orders:read");
        assertThat(driver.findElements(By.cssSelector(
                ".edit-policy, #policy-panel, #policy-form, #credits-form, #key-form"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("button, input, select, textarea")).stream()
                .filter(WebElement::isDisplayed).map(e -> e.getAttribute("id")).toList())
                .containsExactly("sign-out", "usage-range-24h", "usage-range-7d", "usage-range-30d");
    }
}
