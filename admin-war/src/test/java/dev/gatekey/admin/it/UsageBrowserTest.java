package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.JpaKeyStore;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.store.UsageCount;
import dev.gatekey.testsupport.http.Http;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The usage charts in headless Chromium (issue 20): a consumer's requests over time stacked by outcome with the
 * 24 h / 7 d / 30 d switch, and a bucket's top consumers. Each drawn shape must carry exactly the numbers the admin
 * API answers for the range the page asked for, and the table view the same. Counts are arranged through the key
 * store, as the filters write them. Screenshots go to {@value AdminUiBrowserTest#PAGES} ({@code usage*.png}).
 */
@ExtendWith(ArquillianExtension.class)
class UsageBrowserTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-usage");
    private static final String BUCKET = "weather-api";
    private static final String[] CONSUMERS = {"acme", "globex", "initech", "umbrella", "hooli", "stark-industries"};

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    private static ChromeDriver driver;
    private static GatekeyDatabase database;

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
        keys.buckets().create("test", BUCKET, "Forecasts by the minute", "wx", false);
        long now = Instant.now().getEpochSecond() / 60;
        List<UsageCount> counts = new ArrayList<>();
        for (int c = 0; c < CONSUMERS.length; c++) {
            String keyId = keys.consumers().create("test", BUCKET, NewConsumer.named(CONSUMERS[c]), true)
                    .apiKeys().get(0).id();
            // a daily rhythm over 30 days for every consumer, the busiest first; acme also gets refusals
            for (int hour = 0; hour < 30 * 24; hour += c == 0 ? 1 : 5) {
                long minute = now - hour * 60L - 7;
                // a launch 10 days ago: the busiest day by far
                long valid = (long) ((1200 - c * 180) * (1.2 + Math.sin(hour * Math.PI / 12)))
                        + (hour / 24 == 10 ? 2000 : 0);
                counts.add(new UsageCount(BUCKET, keyId, minute, "valid", valid));
                if (c == 0 && hour % 3 == 0) {
                    counts.add(new UsageCount(BUCKET, keyId, minute, "rate_limited", 40 + hour % 90));
                }
                if (c == 0 && hour % 11 == 0) {
                    counts.add(new UsageCount(BUCKET, keyId, minute, "revoked", 25));
                }
            }
        }
        counts.add(new UsageCount(BUCKET, null, now - 30, "bad_checksum", 12));
        JpaKeyStore store = new JpaKeyStore(database);
        for (int from = 0; from < counts.size(); from += 1000) {
            store.recordUsage(counts.subList(from, Math.min(counts.size(), from + 1000)));
        }
    }

    @AfterAll
    static void close() {
        BROWSER.quit();
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void signIn() {
        root = UiDeployment.root(base);
        admin = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey());
        SeenKeys.ALL.add(DEPLOYMENT.adminKey());
        driver.get(root.toString());
        BROWSER.waiting().until(d -> !d.findElements(By.id("signin-form")).isEmpty()
                || d.findElement(By.id("topbar")).isDisplayed());
        if (!driver.findElements(By.id("signin-form")).isEmpty()) {
            waitFor(By.id("signin-key")).sendKeys(DEPLOYMENT.adminKey() + Keys.ENTER);
            BROWSER.waiting().until(textToBe(By.id("who"), "admin (admin)"));
        }
    }

    private WebElement waitFor(By locator) {
        return BROWSER.waiting().until(visibilityOfElementLocated(locator));
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** "start outcome" → count of every bar the chart drew. */
    @SuppressWarnings("unchecked")
    private Map<String, Long> drawnBars() {
        List<String> bars = (List<String>) js("return [...document.querySelectorAll('#usage-chart rect.bar')]"
                + ".map(r => r.dataset.start + ' ' + r.dataset.outcome + ' ' + r.dataset.count);");
        Map<String, Long> drawn = new TreeMap<>();
        bars.forEach(b -> drawn.put(b.substring(0, b.lastIndexOf(' ')), Long.parseLong(b.substring(b.lastIndexOf(' ') + 1))));
        return drawn;
    }

    /** "start outcome" → count of every table cell that is not zero. */
    @SuppressWarnings("unchecked")
    private Map<String, Long> tabled() {
        List<String> cells = (List<String>) js("return [...document.querySelectorAll('#usage-table tbody td[data-outcome]')]"
                + ".map(td => td.closest('tr').dataset.start + ' ' + td.dataset.outcome + ' ' + td.textContent);");
        Map<String, Long> table = new TreeMap<>();
        cells.forEach(c -> {
            long n = Long.parseLong(c.substring(c.lastIndexOf(' ') + 1));
            if (n > 0) {
                table.put(c.substring(0, c.lastIndexOf(' ')), n);
            }
        });
        return table;
    }

    /** What the API answers for the range the chart says it asked for. */
    private Map<String, Long> answered(String path, WebElement holder) {
        JsonNode body = admin.api("GET", path + "?granularity=" + holder.getAttribute("data-granularity") + "&from="
                + holder.getAttribute("data-from") + "&to=" + holder.getAttribute("data-to"), null).json();
        Map<String, Long> points = new TreeMap<>();
        body.path("data").forEach(p -> points.put(p.path("start").asText() + " " + p.path("outcome").asText(),
                p.path("count").asLong()));
        return points;
    }

    private WebElement openUsageOf(String consumer) {
        driver.get(root + "#/buckets/" + BUCKET + "/consumers/" + consumer);
        waitFor(By.cssSelector("#usage-chart rect.bar"));
        return driver.findElement(By.id("usage-chart-holder"));
    }

    private void screenshotOf(WebElement element, String name) {
        js("arguments[0].scrollIntoView({block: 'start'}); document.activeElement.blur();", element);
        try {
            Path file = Path.of(AdminUiBrowserTest.PAGES, name);
            Files.createDirectories(file.getParent());
            Files.write(file, element.getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void showUsageWhenLast24HoursThenEveryBarIsWhatTheApiAnswersPerHourAndOutcome() {
        WebElement holder = openUsageOf("acme");

        assertThat(holder.getAttribute("data-granularity")).isEqualTo("hour");
        Map<String, Long> api = answered("/buckets/" + BUCKET + "/consumers/acme/usage", holder);
        assertThat(api).hasSizeGreaterThan(24);
        assertThat(drawnBars()).isEqualTo(api);
        assertThat(driver.findElement(By.id("usage-summary")).getText()).contains("requests in the last 24 h");
        screenshotOf(driver.findElement(By.id("usage")), "usage.png");
        driver.findElement(By.cssSelector("#usage-table-details summary")).click();
        assertThat(tabled()).isEqualTo(api);
    }

    @Test
    void showUsageWhenSwitchedTo30DaysThenBarsPerDayAsTheApiAnswers() {
        WebElement holder = openUsageOf("acme");

        driver.findElement(By.id("usage-range-30d")).click();
        BROWSER.waiting().until(d -> "day".equals(holder.getAttribute("data-granularity"))
                && !d.findElements(By.cssSelector("#usage-chart rect.bar")).isEmpty());

        Map<String, Long> api = answered("/buckets/" + BUCKET + "/consumers/acme/usage", holder);
        assertThat(api.keySet().stream().map(k -> k.substring(0, 10)).distinct()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(drawnBars()).isEqualTo(api);
        assertThat(driver.findElement(By.id("usage-range-30d")).getAttribute("aria-pressed")).isEqualTo("true");
        // the tallest column is the day with the most requests
        Map<String, Long> perDay = new HashMap<>();
        api.forEach((k, v) -> perDay.merge(k.substring(0, k.indexOf(' ')), v, Long::sum));
        String busiest = perDay.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(js("const cols = [...document.querySelectorAll('#usage-chart g.column')];"
                + "const h = c => [...c.querySelectorAll('rect')].reduce((s, r) => s + r.getBBox().height, 0);"
                + "return cols.reduce((a, b) => h(b) > h(a) ? b : a).dataset.start;")).isEqualTo(busiest);
    }

    @Test
    void showBucketWhenConsumersUsedThenTopConsumersAsTheApiAnswersMostFirst() {
        driver.get(root + "#/buckets/" + BUCKET);
        waitFor(By.cssSelector("#top-chart g.hbar"));
        WebElement holder = driver.findElement(By.id("top-chart-holder"));

        JsonNode api = admin.api("GET", "/buckets/" + BUCKET + "/usage/top?limit=10&from="
                + holder.getAttribute("data-from") + "&to=" + holder.getAttribute("data-to"), null).json();
        List<String> expected = new ArrayList<>();
        api.path("data").forEach(c -> expected.add(c.path("consumer").asText() + " " + c.path("count").asLong()));
        assertThat(expected).hasSize(CONSUMERS.length).first().asString().startsWith("acme ");
        assertThat(js("return [...document.querySelectorAll('#top-chart g.hbar')]"
                + ".map(g => g.dataset.name + ' ' + g.dataset.count);")).isEqualTo(expected);
        assertThat(js("return [...document.querySelectorAll('#top-table tbody tr')]"
                + ".map(tr => tr.dataset.consumer + ' ' + tr.cells[2].textContent);")).isEqualTo(expected);
        screenshotOf(driver.findElement(By.id("top-consumers")), "usage-top.png");
    }

    @Test
    void showUsageWhenWindowIs400PixelsWideThenChartFitsWithoutSidewaysScrolling() {
        try {
            driver.manage().window().setSize(new Dimension(400, 900));
            WebElement holder = openUsageOf("acme");
            BROWSER.waiting().until(d -> ((Number) js("return document.getElementById('usage-chart')"
                    + ".getBoundingClientRect().width")).doubleValue() <= 400);

            assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
            assertThat(drawnBars()).isEqualTo(answered("/buckets/" + BUCKET + "/consumers/acme/usage", holder));
            screenshotOf(driver.findElement(By.id("usage")), "usage-narrow.png");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }
}
