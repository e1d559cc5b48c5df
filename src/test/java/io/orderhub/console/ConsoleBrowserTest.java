package io.orderhub.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.inventory.InventoryTestSupport;
import io.orderhub.sync.SyncTargetsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console (/console/) in a real headless Chromium against the running hub with data: the README's tour
 * (find the tour's order, open its journey and its received document, cancel it), replaying a dead letter,
 * previewing a mapping with its problems highlighted, and every other page once. Each page's screenshot is
 * saved under {@code target/console-screenshots/}. Needs Debian's {@code chromium} and {@code chromium-driver}
 * ({@code .ci/run} installs them); without them the tests are skipped, unless
 * {@code ORDERHUB_CONSOLE_TESTS_REQUIRED=true} (.ci/run) makes that a failure (paths: {@code CHROMIUM_BIN},
 * {@code CHROMEDRIVER_BIN}).
 */
@ExtendWith(ConsoleBrowserTest.ChromiumPresent.class)
class ConsoleBrowserTest extends InventoryTestSupport {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final File CHROMIUM = new File(env("CHROMIUM_BIN", "/usr/bin/chromium"));
    static final File DRIVER = new File(env("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));

    static WebDriver browser;
    static WebDriverWait wait;

    private StubMapping refusal;

    static final String MISSING = "no Chromium at " + CHROMIUM + " or no chromedriver at " + DRIVER
            + " (apt-get install chromium chromium-driver, as .ci/run does)";

    /**
     * Skips the class, before the hub starts, with the reason when Chromium is absent (reported as skipped
     * with this message); where the tests are required (.ci/run) they run and fail instead.
     */
    static final class ChromiumPresent implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (present() || "true".equals(System.getenv("ORDERHUB_CONSOLE_TESTS_REQUIRED"))) {
                return ConditionEvaluationResult.enabled("Chromium at " + CHROMIUM);
            }
            System.err.println("ConsoleBrowserTest skipped: " + MISSING);
            return ConditionEvaluationResult.disabled("console browser tests skipped: " + MISSING);
        }
    }

    static boolean present() {
        return CHROMIUM.canExecute() && DRIVER.canExecute();
    }

    @BeforeAll
    static void startChromium() {
        assertThat(present()).as("console browser tests required (ORDERHUB_CONSOLE_TESTS_REQUIRED): " + MISSING).isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER)
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void fullWidth() {
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterEach
    void removeStub() {
        if (refusal != null) {
            SyncTargetsServer.server().removeStub(refusal);
        }
    }

    @Test
    void theTourFindsTheOrderOpensItsJourneyAndDocumentAndCancelsIt() {
        ObjectNode order = order();
        String externalId = order.get("externalId").asText();
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order).body().get("orderId").asText();

        signIn(OPS_KEY);
        go("#/orders");
        type(By.cssSelector("#orders-filter [name=externalId]"), externalId);
        browser.findElement(By.cssSelector("#orders-filter button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#orders-table tr[data-id='" + orderId + "']")));
        assertThat(browser.findElements(By.cssSelector("#orders-table tbody tr"))).hasSize(1);
        screenshot("orders");

        browser.findElement(By.linkText(orderId)).click();
        WebElement journey = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("journey")));
        assertThat(journey.getText()).contains("Received").contains("order.created");
        browser.findElement(By.id("show-raw")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("raw-document"), externalId));
        screenshot("order-journey");

        browser.findElement(By.id("cancel-order")).click();
        confirm("customer changed their mind");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("h1 .badge"), "CANCELLED"));
        assertThat(browser.findElement(By.id("journey")).getText()).contains("order.cancelled");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from audit_log where action = 'order.cancel' and target = ? and detail = ?",
                Integer.class, orderId, "customer changed their mind") == 1);

        // the phone width: nothing wider than the screen but the tables' own scroll boxes
        browser.manage().window().setSize(new Dimension(390, 844));
        go("#/orders?externalId=" + externalId);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#orders-table tr[data-id='" + orderId + "']")));
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
        screenshot("orders-phone");
    }

    @Test
    void aDeadLetterIsReplayedAfterConfirmation() {
        String customer = "BAD-" + UUID.randomUUID();
        refusal = SyncTargetsServer.server().stubFor(patch(urlEqualTo(
                "/crm/services/data/v60.0/sobjects/Account/OrderHub_Customer_Id__c/webshop-" + customer)).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("[{\"message\":\"Email: invalid email address\",\"errorCode\":\"INVALID_EMAIL_ADDRESS\"}]")));
        ObjectNode order = order();
        ((ObjectNode) order.get("customer")).put("externalId", customer);
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order).body().get("orderId").asText();
        Long id = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                "select id from sync_dead_letters where order_id = ? and status = 'OPEN'", Long.class, orderId)
                .stream().findFirst().orElse(null), l -> l != null);
        SyncTargetsServer.server().removeStub(refusal);
        refusal = null;

        signIn(OPS_KEY);
        go("#/dead-letters?orderId=" + orderId);
        By row = By.cssSelector("#dead-letters-table tr[data-id='" + id + "']");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "INVALID_EMAIL_ADDRESS"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("broker-queues")));
        screenshot("dead-letters");

        browser.findElement(row).findElement(By.cssSelector("button[data-action=replay]")).click();
        confirm(null);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "REPLAYED"));
        assertThat(jdbc.queryForObject("select status from sync_dead_letters where id = ?", String.class, id))
                .isEqualTo("REPLAYED");
        go("#/audit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-table"), "deadLetter.replay"));
        screenshot("audit");
    }

    @Test
    void thePlaygroundPreviewsADocumentAndMarksWhereEachProblemPoints() {
        signIn(OPS_KEY);
        go("#/playground");
        WebElement document = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#playground-form textarea")));
        String bad = order().put("currency", "EURO").toString();
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", document, bad);
        browser.findElement(By.id("preview-button")).click();

        WebElement result = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".preview-order")));
        assertThat(result.getText()).contains("REJECT").contains("/currency");
        List<WebElement> marked = result.findElements(By.cssSelector(".json .err"));
        assertThat(marked).extracting(e -> e.getAttribute("data-pointer")).contains("/currency");
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView();", result);
        screenshot("mapping-playground");

        // a valid one: a new order would be created, nothing stored
        int before = jdbc.queryForObject("select count(*) from orders", Integer.class);
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", document, order().toString());
        browser.findElement(By.id("preview-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".preview-order"), "CREATE"));
        assertThat(jdbc.queryForObject("select count(*) from orders", Integer.class)).isEqualTo(before);
    }

    @Test
    void everyOtherPageShowsItsDataAndApiErrorsAreShown() {
        String sku = product(40, 10);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        for (int day = 1; day <= 60; day++) {
            jdbc.update("insert into planning_seeded_demand (sku, warehouse_id, demand_day, units) values (?, ?, ?, ?)", sku,
                    "eu-central", java.sql.Date.valueOf(today.minusDays(day)), 3 + day % 7);
        }
        postJson("/api/orders", WEBSHOP_KEY, order());
        String rejected = postJson("/api/orders", WEBSHOP_KEY, order().put("currency", "EURO")).header("X-Receipt-Id");

        // a wrong key: the problem's detail is shown
        browser.get(base());
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
        browser.navigate().refresh();
        type(By.id("credential"), "not-a-key");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("problem"), "401"));

        signIn(ADMIN_KEY);
        go("#/overview");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#connectors tbody tr")));
        String first = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("overview-updated"))).getText();
        wait.until(d -> !d.findElement(By.id("overview-updated")).getText().equals(first));
        assertThat(browser.findElement(By.id("orders-per-state")).getText()).contains("CREATED");
        screenshot("overview");

        go("#/routes");
        By submit = By.cssSelector("#routes-table tr[data-id='submitOrder']");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(submit, "Started"));
        assertThat(browser.findElement(submit).findElements(By.tagName("button"))).extracting(WebElement::getText)
                .contains("Stop", "Reload");
        screenshot("routes");

        go("#/receipts");
        By receipt = By.cssSelector("#receipts-table tr[data-id='" + rejected + "']");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(receipt, "/currency"));
        screenshot("rejected-receipts");

        go("#/stock/" + sku);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#stock-table tbody tr")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#demand-chart canvas")));
        assertThat(browser.findElement(By.id("chart-summary")).getText()).contains("days of demand").contains("reorder point");
        new Select(browser.findElement(By.cssSelector("select[id^=chart-warehouse]"))).selectByValue("eu-central");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#demand-chart canvas")));
        screenshot("stock-planning");

        go("#/reports");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#report-chart canvas")));
        assertThat(Integer.parseInt(browser.findElement(By.id("report-orders")).getText())).isPositive();
        screenshot("reports");

        // a channel's key: its own orders only, no operator pages
        Response b2bOrder = postJson("/api/orders", B2B_KEY, order());
        assertThat(b2bOrder.status()).as(b2bOrder.toString()).isEqualTo(201);
        String b2bOrderId = b2bOrder.body().get("orderId").asText();
        signIn(B2B_KEY);
        go("#/orders");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#orders-table tr[data-id='" + b2bOrderId + "']")));
        assertThat(browser.findElements(By.cssSelector("#orders-table tbody tr[data-id] td:nth-child(2)")))
                .extracting(WebElement::getText).containsOnly("b2b");
        assertThat(browser.findElement(By.cssSelector("#nav a[href='#/dead-letters']")).isDisplayed()).isFalse();
    }

    // helpers

    private String base() {
        return "http://localhost:" + port + "/console/";
    }

    private void signIn(String key) {
        browser.get(base());
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
        browser.navigate().refresh();
        type(By.id("credential"), key);
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    /** Opens a page of the console; the page shown already is loaded again (its data may have changed). */
    private void go(String hash) {
        String url = base() + hash;
        if (url.equals(browser.getCurrentUrl())) {
            browser.navigate().refresh();
        } else {
            browser.get(url);
        }
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    private void type(By field, String text) {
        WebElement e = wait.until(ExpectedConditions.visibilityOfElementLocated(field));
        e.clear();
        e.sendKeys(text);
    }

    private void confirm(String reason) {
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        if (reason != null) {
            dialog.findElement(By.id("confirm-reason")).sendKeys(reason);
        }
        dialog.findElement(By.id("confirm-ok")).click();
    }

    private static void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("screenshot " + name, e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
