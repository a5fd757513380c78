package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.testsupport.http.Http;
import dev.gatekey.testsupport.http.HttpTransport;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web UI on an admin WAR without master keys: the server says so at sign-in, and the "New bucket" form
 * offers irretrievable buckets only, so the first bucket an operator creates works.
 */
@ExtendWith(ArquillianExtension.class)
class AdminUiWithoutMasterKeysBrowserTest {

    private static final TestDeployment DEPLOYMENT = TestDeployment.withoutMasterKeys("gatekey-admin-no-master-keys");
    private static final HttpClient CLIENT = HttpTransport.client();

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    private static ChromeDriver driver;
    private static GatekeyDatabase database;
    private static KeyManagement keys;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return UiDeployment.archive(DEPLOYMENT);
    }

    @BeforeAll
    static void arrange() {
        driver = BROWSER.start();
        database = DEPLOYMENT.openDatabase();
        keys = DEPLOYMENT.keyManagement(database);
    }

    @AfterAll
    static void close() {
        BROWSER.quit();
        if (database != null) {
            database.close();
        }
    }

    private WebElement waitFor(By locator) {
        return BROWSER.waiting().until(visibilityOfElementLocated(locator));
    }

    @Test
    void signInWhenNoMasterKeysThenTellsTheUiThatRetrievableBucketsDoNotWork() throws Exception {
        HttpResponse<String> session = CLIENT.send(HttpRequest.newBuilder(UiDeployment.root(base).resolve("session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + DEPLOYMENT.adminKey() + "\"}"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
        JsonNode body = Http.JSON.readTree(session.body());
        assertThat(body.path("retrievableBuckets").isBoolean()).isTrue();
        assertThat(body.path("retrievableBuckets").asBoolean()).isFalse();
    }

    @Test
    void newBucketFormWhenNoMasterKeysThenOffersOnlyIrretrievableBucketsAndTheFirstIsCreated() {
        URI root = UiDeployment.root(base);
        driver.get(root.toString());
        waitFor(By.id("signin-key")).sendKeys(DEPLOYMENT.adminKey() + Keys.ENTER);
        WebElement retrievable = waitFor(By.id("bucket-retrievable"));

        assertThat(retrievable.isSelected()).isFalse();
        assertThat(retrievable.isEnabled()).isFalse();
        assertThat(driver.findElement(By.id("bucket-retrievable-hint")).getText()).contains("no master keys");
        driver.findElement(By.id("bucket-name")).sendKeys("first");
        driver.findElement(By.id("bucket-prefix")).sendKeys("first");
        driver.findElement(By.cssSelector("#bucket-form button[type='submit']")).click();

        waitFor(By.linkText("first"));
        assertThat(keys.buckets().get("first").retrievable()).isFalse();
    }
}
