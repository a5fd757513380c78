package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import dev.gatekey.admin.AdminContextListener;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.ConsumerQuery;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.LeakAction;
import dev.gatekey.persistence.LeakReport;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.testsupport.http.HttpTransport;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in headless Chromium against the WAR in embedded Tomcat: one signed-in browser walks through the
 * operator's tasks in order; signing out comes last. Data the UI must find is arranged through
 * {@link KeyManagement}. Screenshots of the main pages go to {@value #PAGES}.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUiBrowserTest {

    static final String PAGES = "target/screenshots/pages";

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-ui");
    private static final HttpClient CLIENT = HttpTransport.client();

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    private static ChromeDriver driver;
    private static GatekeyDatabase database;
    private static KeyManagement keys;
    private static ApiKey revealKey;
    private static ApiKey copyKey;
    private static ApiKey rollKey;
    private static ApiKey revokeKey;
    private static ApiKey leakedKey;
    private static ApiKey labelledKey;
    private static String viewerKey;

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
        database = DEPLOYMENT.openDatabase();
        keys = DEPLOYMENT.keyManagement(database);
        keys.buckets().create("test", "shop", "Web shop customers", "shop", false);
        keys.buckets().create("test", "partner", "Partner integrations", "partner", true);
        keys.consumers().create("test", "partner", new NewConsumer("acme", "ACME Corp", Map.of("plan", "gold"),
                Map.of("env", "prod")), false);
        revealKey = keys.keys().create("test", "partner", "acme", "reveal-me", null);
        copyKey = keys.keys().create("test", "partner", "acme", "copy-me", null);
        keys.consumers().create("test", "shop", NewConsumer.named("roller"), false);
        rollKey = keys.keys().create("test", "shop", "roller", "old", null);
        keys.consumers().create("test", "shop", NewConsumer.named("revokee"), false);
        revokeKey = keys.keys().create("test", "shop", "revokee", "doomed", null);
        keys.buckets().create("test", "fleet", "Devices", "fleet", false);
        for (int i = 0; i < 30; i++) {
            keys.consumers().create("test", "fleet", NewConsumer.named(String.format("device-%02d", i)), false);
        }
        keys.consumers().create("test", "fleet", NewConsumer.named("gateway"), false);
        keys.consumers().create("test", "shop", NewConsumer.named("leaving"), false);
        keys.consumers().create("test", "shop", NewConsumer.named("labelled"), false);
        labelledKey = keys.keys().create("test", "shop", "labelled", "billing service", null);
        keys.consumers().create("test", "shop", new NewConsumer("long-tags", "A consumer with many tags to wrap",
                Map.of(), Map.of("environment", "production-eu-west-1", "team", "payments-and-billing-core",
                        "owner", "someone.with.a.long.name@example.com")), false);
        viewerKey = keys.consumers().create("test", "gatekey-admin", new NewConsumer("auditor", null,
                Map.of("roles", List.of("viewer")), null), true).apiKeys().get(0).key();
        keys.consumers().create("test", "shop", NewConsumer.named("careless"), false);
        keys.consumers().create("test", "shop", new NewConsumer("self-served", "Keys managed by its users", Map.of(),
                Map.of(), List.of("alice@example.com", "a.very.long.user.identifier.that.must.wrap@customers.example.com")),
                false);
        leakedKey = keys.keys().create("test", "shop", "careless", "pushed", null);
        keys.leaks().record("github-secret-scanning", KeyHashes.sha256Hex(leakedKey.key()),
                new LeakReport("gatekey_shop", "https://github.com/octo/shop/blob/main/.env", "content"),
                LeakAction.NOTIFY);
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

    private void open(String hash) {
        driver.get(root + hash);
    }

    private WebElement waitFor(By locator) {
        return BROWSER.waiting().until(visibilityOfElementLocated(locator));
    }

    private WebElement keyRow(ApiKey key) {
        return waitFor(By.cssSelector("tr[data-key-id='" + key.id() + "']"));
    }

    private String stateOf(ApiKey key) {
        return keyRow(key).findElement(By.cssSelector(".badge")).getText();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private boolean pageContains(String text) {
        return Boolean.TRUE.equals(js("const t = arguments[0];"
                + "return document.documentElement.outerHTML.includes(t)"
                + " || [...document.querySelectorAll('input, textarea')].some(i => i.value.includes(t));", text));
    }

    /** A screenshot of the page from its top, no field focused (for the README). */
    private void pageScreenshot(String name) {
        js("document.activeElement.blur(); window.scrollTo(0, 0);");
        BROWSER.screenshot(Path.of(PAGES, name));
    }

    private String sessionCookie() {
        Cookie cookie = driver.manage().getCookieNamed(AdminContextListener.SESSION_COOKIE);
        return cookie == null ? null : cookie.getName() + "=" + cookie.getValue();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in unless the browser's session is still valid (the page decides after asking GET /session). */
    private void signIn() {
        open("");
        BROWSER.waiting().until(d -> !d.findElements(By.id("signin-form")).isEmpty()
                || d.findElement(By.id("topbar")).isDisplayed());
        if (!driver.findElements(By.id("signin-form")).isEmpty()) {
            waitFor(By.id("signin-key")).sendKeys(DEPLOYMENT.adminKey());
            driver.findElement(By.id("signin-submit")).click();
        }
        waitFor(By.id("topbar"));
    }

    /** Whether every element the selector finds in the page lies on one line (an inline box wrapped has more). */
    private boolean eachOnOneLine(String selector) {
        return Boolean.TRUE.equals(js("const all = [...document.querySelectorAll(arguments[0])];"
                + "return all.length > 0 && all.every(e => e.getClientRects().length === 1);", selector));
    }

    private boolean noSidewaysScrolling() {
        return Boolean.TRUE.equals(js("return document.documentElement.scrollWidth <= window.innerWidth"));
    }

    private void narrow(Runnable check) {
        try {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(400, 900));
            check.run();
        } finally {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }

    /** The ids of the buttons and form fields a person can see. */
    private List<String> visibleControls() {
        return driver.findElements(By.cssSelector("button, input, select, textarea")).stream()
                .filter(WebElement::isDisplayed).map(e -> e.getAttribute("id")).toList();
    }

    @Test
    @Order(-1)
    void loadPageWhenSignedOutThenNoFailedRequestInTheConsole() {
        open("");
        waitFor(By.id("signin-key"));

        assertThat(BROWSER.consoleMessages()).noneMatch(m -> m.contains("401") || m.contains("Failed to load"));
    }

    @Test
    @Order(0)
    void signInWhenKeyRefusedThenShowsOnlyTheRefusalNotTheEarlierEnterAKeyHint() {
        open("");
        waitFor(By.id("signin-key"));
        driver.findElement(By.id("signin-submit")).click();
        BROWSER.waiting().until(textToBe(By.id("signin-key-error"), "Enter an admin key."));

        driver.findElement(By.id("signin-key")).sendKeys("gkadm_not-a-key" + Keys.ENTER);

        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("signin-error"), "This key was not accepted"));
        assertThat(driver.findElement(By.id("signin-key-error")).getText()).isEmpty();
        assertThat(driver.findElement(By.id("signin-key-error")).isDisplayed()).isFalse();
    }

    @Test
    @Order(1)
    void signInWhenAdminKeyThenShowsBucketsAndKeepsTheKeyOutOfTheBrowser() {
        open("");
        waitFor(By.id("signin-key"));
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("signin-key");
        pageScreenshot("sign-in.png");

        // Enter submits the form: no mouse needed
        driver.findElement(By.id("signin-key")).sendKeys(DEPLOYMENT.adminKey() + Keys.ENTER);

        waitFor(By.id("buckets-table"));
        assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("admin (admin)");
        assertThat(driver.findElement(By.id("buckets-table")).getText()).contains("shop", "partner");
        assertThat(pageContains(DEPLOYMENT.adminKey())).isFalse();
        assertThat((String) js("return document.cookie")).doesNotContain(AdminContextListener.SESSION_COOKIE);
    }

    @Test
    @Order(2)
    void createConsumerWhenMetadataJsonBadThenRejectedWithAMessageNextToTheField() {
        signIn();
        open("#/buckets/shop");
        waitFor(By.id("consumer-name")).sendKeys("bad-meta");
        driver.findElement(By.id("consumer-metadata")).sendKeys("{\"plan\": gold}");
        driver.findElement(By.id("consumer-submit")).click();

        WebElement error = waitFor(By.id("consumer-metadata-error"));
        assertThat(error.getText()).startsWith("Metadata is not valid JSON");
        assertThat(driver.findElement(By.id("consumer-metadata")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.findElement(By.id("consumer-metadata")).getAttribute("aria-describedby"))
                .contains("consumer-metadata-error");
        assertThat(keys.consumers().list("shop", ConsumerQuery.first(100)).data())
                .noneMatch(c -> c.name().equals("bad-meta"));
    }

    @Test
    @Order(3)
    void createConsumerWhenMetadataAndTagsGivenThenListedAndNameSearchFindsIt() {
        signIn();
        open("#/buckets/shop");
        WebElement name = waitFor(By.id("consumer-name"));
        name.clear();
        name.sendKeys("web-shop");
        driver.findElement(By.id("consumer-description")).sendKeys("The storefront");
        WebElement metadata = driver.findElement(By.id("consumer-metadata"));
        metadata.clear();
        metadata.sendKeys("{\"plan\": \"gold\"}");
        driver.findElement(By.id("consumer-tags")).sendKeys("env=prod, team=web");
        driver.findElement(By.id("consumer-submit")).click();

        waitFor(By.cssSelector("tr[data-consumer='web-shop']"));
        var created = keys.consumers().get("shop", "web-shop", false, null);
        assertThat(created.metadata()).isEqualTo(Map.of("plan", "gold"));
        assertThat(created.tags()).isEqualTo(Map.of("env", "prod", "team", "web"));
        driver.findElement(By.id("consumer-search")).sendKeys("web");
        BROWSER.waiting().until(invisibilityOfElementLocated(By.cssSelector("tr[data-consumer='roller']")));
        assertThat(driver.findElements(By.cssSelector("tr[data-consumer]"))).hasSize(1);
        driver.findElement(By.id("consumer-search")).clear();
        driver.findElement(By.id("consumer-search")).sendKeys(" ");
        waitFor(By.cssSelector("tr[data-consumer='roller']"));
        pageScreenshot("consumers.png");
    }

    @Test
    @Order(3)
    void createConsumerWhenDoneThenConfirmedAboveTheListAndScrolledThere() {
        signIn();
        open("#/buckets/fleet");
        waitFor(By.id("consumer-name")).sendKeys("scrolled-to");
        driver.findElement(By.id("consumer-submit")).click();

        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("consumers-status"),
                "Consumer scrolled-to created."));
        BROWSER.waiting().until(d -> Boolean.TRUE.equals(js("const r = document.getElementById('consumers-status')"
                + ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;")));
        assertThat(driver.findElement(By.id("consumers-status-link")).getAttribute("href"))
                .endsWith("#/buckets/fleet/consumers/scrolled-to");
    }

    @Test
    @Order(3)
    void showConsumersWhenWindowNarrowThenNoSidewaysScrolling() {
        signIn();
        narrow(() -> {
            open("#/buckets/shop");
            waitFor(By.cssSelector("tr[data-consumer='long-tags']"));
            BROWSER.waiting().until(d -> noSidewaysScrolling());
            pageScreenshot("consumers-narrow.png");
        });
    }

    @Test
    @Order(3)
    void createBucketWhenTheServerHasMasterKeysThenRetrievableByDefaultAndItsKeysCanBeRevealed() {
        signIn();
        open("#/buckets");
        WebElement retrievable = waitFor(By.id("bucket-retrievable"));
        assertThat(retrievable.isSelected()).isTrue();
        assertThat(retrievable.isEnabled()).isTrue();
        driver.findElement(By.id("bucket-name")).sendKeys("vault");
        driver.findElement(By.id("bucket-prefix")).sendKeys("vault");
        driver.findElement(By.cssSelector("#bucket-form button[type='submit']")).click();
        waitFor(By.linkText("vault")).click();
        waitFor(By.id("consumer-name")).sendKeys("safe");
        driver.findElement(By.id("consumer-submit")).click();
        waitFor(By.id("consumers-status-link")).click();
        waitFor(By.id("key-create")).click();
        String key = waitFor(By.id("new-key-value")).getDomProperty("value");
        SeenKeys.ALL.add(key);
        driver.findElement(By.id("new-key-done")).click();

        waitFor(By.cssSelector("#keys-table .reveal")).click();

        BROWSER.waiting().until(textToBe(By.cssSelector("#keys-table .key-text"), key));
        assertThat(keys.buckets().get("vault").retrievable()).isTrue();
    }

    @Test
    @Order(3)
    void searchByNameWhenConsumerBeyondTheFirstPageThenFound() {
        signIn();
        open("#/buckets/fleet");
        waitFor(By.cssSelector("tr[data-consumer='device-00']"));
        assertThat(driver.findElements(By.cssSelector("tr[data-consumer='gateway']"))).isEmpty();

        driver.findElement(By.id("consumer-search")).sendKeys("gate");

        waitFor(By.cssSelector("tr[data-consumer='gateway']"));
        assertThat(driver.findElements(By.cssSelector("tr[data-consumer]"))).hasSize(1);
        assertThat(driver.findElement(By.id("consumers-next")).isEnabled()).isFalse();
    }

    @Test
    @Order(4)
    void createKeyWhenBucketIrretrievableThenShownOnceThenOnlyMasked() {
        signIn();
        open("#/buckets/shop/consumers/web-shop");
        waitFor(By.id("key-label")).sendKeys("storefront");
        driver.findElement(By.id("key-create")).click();

        WebElement shown = waitFor(By.id("new-key-value"));
        String key = shown.getDomProperty("value");
        assertThat(key).startsWith("shop_");
        assertThat(driver.findElement(By.id("new-key")).getText()).contains("copy it now", "only time");
        SeenKeys.ALL.add(key);
        driver.findElement(By.id("new-key-done")).click();

        BROWSER.waiting().until(invisibilityOfElementLocated(By.id("new-key")));
        assertThat(pageContains(key)).isFalse();
        String masked = driver.findElement(By.cssSelector("#keys-table tbody tr .key-text")).getText();
        assertThat(masked).startsWith("shop_").contains("…").isNotEqualTo(key);
        assertThat(driver.findElements(By.cssSelector("#keys-table .reveal"))).isEmpty();
    }

    private List<String> shownManagers() {
        return driver.findElements(By.cssSelector("#managers-list li[data-manager]")).stream()
                .map(li -> li.getAttribute("data-manager")).toList();
    }

    @Test
    @Order(4)
    void editManagersWhenAddedAndRemovedThenSavedAndShownSorted() {
        signIn();
        open("#/buckets/shop/consumers/self-served");
        waitFor(By.cssSelector("#managers-list li[data-manager='alice@example.com']"));
        assertThat(shownManagers()).containsExactly("a.very.long.user.identifier.that.must.wrap@customers.example.com",
                "alice@example.com");

        waitFor(By.id("manager-add")).sendKeys("bob@example.com");
        driver.findElement(By.id("manager-add-submit")).click();
        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("managers-status"),
                "bob@example.com now manages this consumer."));
        assertThat(shownManagers()).containsExactly("a.very.long.user.identifier.that.must.wrap@customers.example.com",
                "alice@example.com", "bob@example.com");
        assertThat(driver.findElement(By.id("manager-add")).getDomProperty("value")).isEmpty();
        js("document.activeElement.blur(); document.getElementById('managers').scrollIntoView();");
        BROWSER.screenshot(Path.of(PAGES, "managers.png"));

        driver.findElement(By.cssSelector("#managers-list li[data-manager='alice@example.com'] .remove-manager")).click();
        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("managers-status"),
                "alice@example.com no longer manages this consumer."));
        assertThat(shownManagers()).containsExactly("a.very.long.user.identifier.that.must.wrap@customers.example.com",
                "bob@example.com");
        assertThat(keys.consumers().get("shop", "self-served", false, null).managers())
                .containsExactly("a.very.long.user.identifier.that.must.wrap@customers.example.com", "bob@example.com");
    }

    @Test
    @Order(4)
    void editManagersWhenUserIdEmptyOrAlreadyThereThenSaidNextToTheFieldAndNothingSaved() {
        signIn();
        open("#/buckets/shop/consumers/self-served");
        waitFor(By.id("manager-add-submit")).click();
        BROWSER.waiting().until(textToBe(By.id("manager-add-error"), "Enter the user id to add."));
        String present = shownManagers().get(0);
        driver.findElement(By.id("manager-add")).sendKeys(present);
        driver.findElement(By.id("manager-add-submit")).click();
        BROWSER.waiting().until(textToBe(By.id("manager-add-error"), present + " already manages this consumer."));
        assertThat(keys.consumers().get("shop", "self-served", false, null).managers()).hasSize(2);
    }

    @Test
    @Order(4)
    void filterConsumersWhenManagedByGivenThenOnlyTheirConsumers() {
        signIn();
        open("#/buckets/shop");
        waitFor(By.cssSelector("tr[data-consumer='roller']"));
        WebElement filter = driver.findElement(By.id("consumer-manager-filter"));
        filter.sendKeys("a.very.long.user.identifier.that.must.wrap@customers.example.com" + Keys.TAB);
        BROWSER.waiting().until(invisibilityOfElementLocated(By.cssSelector("tr[data-consumer='roller']")));
        assertThat(driver.findElements(By.cssSelector("tr[data-consumer]"))).extracting(e -> e.getAttribute(
                "data-consumer")).containsExactly("self-served");
        filter.clear();
        filter.sendKeys("nobody@example.com" + Keys.TAB);
        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("consumers-table"), "No consumer matches."));
    }

    @Test
    @Order(4)
    void showManagersWhenWindowNarrowThenLongIdsWrapWithoutSidewaysScrolling() {
        signIn();
        narrow(() -> {
            open("#/buckets/shop/consumers/self-served");
            waitFor(By.id("managers-list"));
            BROWSER.waiting().until(d -> noSidewaysScrolling());
        });
    }

    @Test
    @Order(5)
    void showKeysWhenBucketRetrievableThenMaskedByDefaultAndRevealShowsTheFullKey() {
        signIn();
        open("#/buckets/partner/consumers/acme");
        WebElement text = keyRow(revealKey).findElement(By.cssSelector(".key-text"));
        assertThat(text.getText()).contains("…").isNotEqualTo(revealKey.key());
        assertThat(pageContains(revealKey.key())).isFalse();
        pageScreenshot("keys.png");

        keyRow(revealKey).findElement(By.cssSelector(".reveal")).click();
        BROWSER.waiting().until(textToBe(By.cssSelector("tr[data-key-id='" + revealKey.id() + "'] .key-text"),
                revealKey.key()));

        keyRow(revealKey).findElement(By.cssSelector(".reveal")).click();
        BROWSER.waiting().until(attributeToBe(keyRow(revealKey).findElement(By.cssSelector(".reveal")),
                "aria-pressed", "false"));
        assertThat(pageContains(revealKey.key())).isFalse();
    }

    @Test
    @Order(6)
    void copyWhenClickedThenFullKeyOnTheClipboardWithoutEverPuttingItInThePage() {
        signIn();
        BROWSER.grantClipboard(root.getScheme() + "://" + root.getAuthority());
        open("#/buckets/partner/consumers/acme");
        keyRow(copyKey);
        // records whether the key shows up in the document at any moment, not just at the end
        js("const key = arguments[0]; window.gkKeySeen = false;"
                + "new MutationObserver(() => { if (document.documentElement.outerHTML.includes(key)"
                + " || [...document.querySelectorAll('input, textarea')].some(i => i.value.includes(key))) {"
                + " window.gkKeySeen = true; } })"
                + ".observe(document, {subtree: true, childList: true, attributes: true, characterData: true});",
                copyKey.key());

        keyRow(copyKey).findElement(By.cssSelector(".copy")).click();

        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("keys-status"), "copied"));
        Object clipboard = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[0];"
                + "navigator.clipboard.readText().then(done, e => done('clipboard error: ' + e));");
        assertThat(clipboard).isEqualTo(copyKey.key());
        assertThat(js("return window.gkKeySeen")).isEqualTo(false);
        assertThat(pageContains(copyKey.key())).isFalse();
    }

    @Test
    @Order(7)
    void rollWhenOneHourTransitionThenTheOldKeyIsMarkedExpiring() {
        signIn();
        open("#/buckets/shop/consumers/roller");
        assertThat(stateOf(rollKey)).isEqualTo("active");

        new Select(waitFor(By.id("roll-transition"))).selectByValue("1h");
        driver.findElement(By.id("roll-submit")).click();

        String newKey = waitFor(By.id("new-key-value")).getDomProperty("value");
        SeenKeys.ALL.add(newKey);
        driver.findElement(By.id("new-key-done")).click();
        BROWSER.waiting().until(textToBe(By.cssSelector("tr[data-key-id='" + rollKey.id() + "'] .badge"),
                "expiring"));
        assertThat(driver.findElements(By.cssSelector("#keys-table .badge.active"))).hasSize(1);
    }

    @Test
    @Order(7)
    void rollWhenFormOpenedThenProposesTheOldKeysLabelAndTheRolledKeyCarriesTheOneEntered() {
        signIn();
        open("#/buckets/shop/consumers/labelled");
        keyRow(labelledKey);
        WebElement label = waitFor(By.id("roll-label"));
        assertThat(label.getDomProperty("value")).isEqualTo("billing service");

        label.clear();
        label.sendKeys("billing service v2");
        driver.findElement(By.id("roll-submit")).click();
        SeenKeys.ALL.add(waitFor(By.id("new-key-value")).getDomProperty("value"));
        driver.findElement(By.id("new-key-done")).click();

        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("keys-table"), "billing service v2"));
        assertThat(keys.keys().list("shop", "labelled", null)).extracting(ApiKey::description)
                .containsExactlyInAnyOrder("billing service", "billing service v2");
        assertThat(driver.findElement(By.id("keys-table")).getText()).doesNotContain("(no label)");
    }

    @Test
    @Order(8)
    void revokeWhenConfirmedThenTheKeyIsMarkedRevoked() {
        signIn();
        open("#/buckets/shop/consumers/revokee");
        keyRow(revokeKey).findElement(By.cssSelector(".revoke")).click();

        WebElement dialog = waitFor(By.id("confirm-dialog"));
        assertThat(dialog.getText()).contains("Revoke key doomed?");
        driver.findElement(By.id("confirm-ok")).click();

        BROWSER.waiting().until(textToBe(By.cssSelector("tr[data-key-id='" + revokeKey.id() + "'] .badge"),
                "revoked"));
        assertThat(keys.keys().get("shop", "revokee", revokeKey.id(), null).revokedOn()).isNotNull();
    }

    @Test
    @Order(8)
    void deleteConsumerWhenConfirmedThenSaysSoAboveTheList() {
        signIn();
        open("#/buckets/shop");
        waitFor(By.cssSelector("tr[data-consumer='leaving'] button.danger")).click();
        waitFor(By.id("confirm-dialog"));
        driver.findElement(By.id("confirm-ok")).click();

        BROWSER.waiting().until(textToBe(By.id("consumers-status"), "Consumer leaving deleted; its keys are revoked."));
        assertThat(driver.findElements(By.cssSelector("tr[data-consumer='leaving']"))).isEmpty();
    }

    @Test
    @Order(9)
    void revokeWhenDialogClosedWithEscapeThenTheKeyStaysActive() {
        signIn();
        open("#/buckets/partner/consumers/acme");
        keyRow(copyKey).findElement(By.cssSelector(".revoke")).click();
        waitFor(By.id("confirm-dialog"));
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("confirm-cancel");

        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);

        BROWSER.waiting().until(invisibilityOfElementLocated(By.id("confirm-dialog")));
        assertThat(stateOf(copyKey)).isEqualTo("active");
        assertThat(keys.keys().get("partner", "acme", copyKey.id(), null).revokedOn()).isNull();
    }

    @Test
    @Order(10)
    void writeWhenBrowsersSessionCookieButNoCsrfTokenThenForbidden() throws Exception {
        signIn();
        String cookie = sessionCookie();
        assertThat(cookie).isNotNull();

        HttpResponse<String> none = send(HttpRequest.newBuilder(root.resolve("api/v1/cache/flush"))
                .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(root.resolve("api/v1/cache/flush"))
                .header("Cookie", cookie).header("X-CSRF-Token", "forged").POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> read = send(HttpRequest.newBuilder(root.resolve("api/v1/buckets"))
                .header("Cookie", cookie).GET());

        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(read.statusCode()).isEqualTo(200);
    }

    @Test
    @Order(11)
    void killSwitchWhenConfirmedThenFlushesTheCaches() {
        signIn();
        open("#/buckets");
        waitFor(By.id("kill-switch")).click();
        waitFor(By.id("confirm-dialog"));
        driver.findElement(By.id("confirm-ok")).click();

        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("global-status"), "Caches flushed"));
    }

    @Test
    @Order(12)
    void showAuditWhenSessionActedThenListsItsActionsUnderTheAdminsName() {
        signIn();
        open("#/audit");

        BROWSER.waiting().until(presenceOfElementLocated(By.cssSelector("#audit-table tbody tr td")));
        String audit = driver.findElement(By.id("audit-table")).getText();
        assertThat(audit).contains("admin", "web-shop");
        pageScreenshot("audit.png");
    }

    @Test
    @Order(12)
    void showAuditWhenWindowNarrowThenEachKeyIdStaysOnOneLine() {
        signIn();
        narrow(() -> {
            open("#/audit");
            BROWSER.waiting().until(presenceOfElementLocated(By.cssSelector("#audit-table code.id")));
            assertThat(driver.findElement(By.id("audit-table")).getText()).contains("key_");
            assertThat(eachOnOneLine("#audit-table code.id")).isTrue();
            assertThat(eachOnOneLine("#audit-table .nowrap")).isTrue();
            assertThat(noSidewaysScrolling()).isTrue();
        });
    }

    @Test
    @Order(12)
    void showLeaksWhenAKeyLeakedThenListsWhereByKeyIdWithoutTheKey() {
        signIn();
        driver.findElement(By.id("nav-leaks")).click();

        BROWSER.waiting().until(presenceOfElementLocated(By.cssSelector("#leaks-table tbody tr td code")));
        String leaks = driver.findElement(By.id("leaks-table")).getText();
        assertThat(leaks).contains(leakedKey.id(), "shop / careless", "https://github.com/octo/shop/blob/main/.env",
                "content", "recorded");
        assertThat(pageContains(leakedKey.key())).isFalse();
        pageScreenshot("leaks.png");

        driver.findElement(By.linkText("shop / careless")).click();
        keyRow(leakedKey);
    }

    @Test
    @Order(13)
    void showPagesWhenWindowNarrowThenNoSidewaysScrolling() {
        signIn();
        try {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(400, 900));
            open("#/buckets/shop/consumers/roller");
            keyRow(rollKey);
            BROWSER.waiting().until(d -> Boolean.TRUE.equals(js(
                    "return document.documentElement.scrollWidth <= window.innerWidth")));
            pageScreenshot("keys-narrow.png");
        } finally {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }

    @Test
    @Order(14)
    void navigateWhenSessionExpiredThenBackToSignInWithAMessage() {
        signIn();
        open("#/buckets");
        waitFor(By.id("buckets-table"));
        driver.manage().deleteCookieNamed(AdminContextListener.SESSION_COOKIE);

        open("#/audit");

        BROWSER.waiting().until(textToBePresentInElementLocated(By.id("signin-error"), "Your session has ended"));
        assertThat(driver.findElement(By.id("topbar")).isDisplayed()).isFalse();
    }

    @Test
    @Order(15)
    void signInWhenDoneThenAdminKeyIsNeverInLocalOrSessionStorage() {
        signIn();

        String storage = (String) js("return JSON.stringify(Object.assign({}, localStorage))"
                + " + JSON.stringify(Object.assign({}, sessionStorage))");

        assertThat(storage).doesNotContain(DEPLOYMENT.adminKey()).isEqualTo("{}{}");
    }

    @Test
    @Order(16)
    void signOutWhenSignedInThenShowsSignInAndTheOldCookieGets401() throws Exception {
        signIn();
        String cookie = sessionCookie();

        driver.findElement(By.id("sign-out")).click();

        waitFor(By.id("signin-form"));
        HttpResponse<String> after = send(HttpRequest.newBuilder(root.resolve("api/v1/buckets"))
                .header("Cookie", cookie).GET());
        assertThat(after.statusCode()).isEqualTo(401);
    }

    @Test
    @Order(17)
    void showPagesWhenViewerThenNoWriteControls() {
        open("");
        waitFor(By.id("signin-key")).sendKeys(viewerKey + Keys.ENTER);
        waitFor(By.id("buckets-table"));
        assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("auditor (viewer)");
        assertThat(visibleControls()).containsExactly("sign-out");

        open("#/buckets/shop");
        waitFor(By.cssSelector("tr[data-consumer='roller']"));
        // the usage charts' range switches are for viewers too: they change nothing
        assertThat(visibleControls()).containsExactlyInAnyOrder("sign-out", "consumer-search", "consumer-tag-filter",
                "consumer-manager-filter", "consumers-prev", "consumers-next", "top-range-24h", "top-range-7d",
                "top-range-30d");
        assertThat(driver.findElement(By.id("consumers-table")).getText()).doesNotContain("Edit", "Delete");

        open("#/buckets/partner/consumers/acme");
        keyRow(revealKey);
        assertThat(visibleControls()).containsExactly("sign-out", "usage-range-24h", "usage-range-7d",
                "usage-range-30d");
        assertThat(driver.findElements(By.cssSelector("#key-form, #roll-form, .revoke, .reveal, .copy"))).isEmpty();
        pageScreenshot("keys-viewer.png");

        open("#/buckets/shop/consumers/self-served");
        waitFor(By.cssSelector("#managers-list li[data-manager]"));
        assertThat(shownManagers()).hasSize(2);
        assertThat(visibleControls()).containsExactly("sign-out", "usage-range-24h", "usage-range-7d",
                "usage-range-30d");
        assertThat(driver.findElements(By.cssSelector("#managers-form, .remove-manager"))).isEmpty();

        driver.findElement(By.id("sign-out")).click();
        waitFor(By.id("signin-form"));
    }
}
