package io.orderhub.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.inventory.InventoryTestSupport;
import io.orderhub.security.TestIssuer;
import io.orderhub.sync.SyncTargetsServer;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * The console (/console/) in a real headless Chromium against the running hub with data: the README's tour
 * (find the tour's order WEB-10001, open its journey and its received document), a cancel after confirmation,
 * a full journey (payment, parcels with tracking, mails, ERP/CRM deliveries), replaying and discarding dead
 * letters of the hub and the broker, previewing mappings with their problems highlighted, and every other page.
 * Every page is checked for a label on each control, keyboard reach and the phone width; each page's screenshot
 * is saved under {@code target/console-screenshots/}. Needs Debian's {@code chromium} and {@code chromium-driver}
 * ({@code .ci/run} installs them); without them the tests are skipped, unless
 * {@code ORDERHUB_CONSOLE_TESTS_REQUIRED=true} (.ci/run) makes that a failure (paths: {@code CHROMIUM_BIN},
 * {@code CHROMEDRIVER_BIN}).
 */
@ExtendWith(ConsoleBrowserTest.ChromiumPresent.class)
class ConsoleBrowserTest extends InventoryTestSupport {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Path DOWNLOADS = Path.of("target", "console-downloads").toAbsolutePath();
    static final File CHROMIUM = new File(env("CHROMIUM_BIN", "/usr/bin/chromium"));
    static final File DRIVER = new File(env("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));
    static final String MARKETPLACE_KEY = "test-marketplace-secret";
    /** WireMock hands the payment gateway's requests to the in-hub sandbox (as PaymentTestSupport does). */
    static final UUID GATEWAY_STUB = UUID.fromString("6a7e1c3e-0000-4000-8000-00000000c0e5");

    static WebDriver browser;
    static WebDriverWait wait;

    @Autowired
    ConnectionFactory connectionFactory;

    private final List<StubMapping> stubs = new ArrayList<>();

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
    static void startChromium() throws IOException {
        assertThat(present()).as("console browser tests required (ORDERHUB_CONSOLE_TESTS_REQUIRED): " + MISSING).isTrue();
        Files.createDirectories(DOWNLOADS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-GB");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toString(),
                "download.prompt_for_download", false));
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

    /** When the test began (to the second, as the audit log stores it): audit entries after it are this test's. */
    java.time.Instant started;

    @BeforeEach
    void fullWidth() {
        started = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterEach
    void removeStubs() {
        stubs.forEach(SyncTargetsServer.server()::removeStub);
        stubs.clear();
    }

    @Test
    void theTourFindsTheToursOrderOpensItsJourneyAndDocumentAndACancelAsksFirst() throws IOException {
        // the README's tour: examples/order-canonical.json as it is (WEB-10001); sent again it is the same order
        byte[] tour = Files.readAllBytes(Path.of("examples", "order-canonical.json"));
        Response sent = post("/api/orders", WEBSHOP_KEY, "application/json", tour);
        assertThat(sent.status()).as(sent.toString()).isIn(200, 201);
        String tourId = sent.body().get("orderId").asText();

        signInByKeyboard(OPS_KEY);
        go("#/orders");
        // the search reached and sent by keyboard alone
        WebElement externalId = tabTo(By.cssSelector("#orders-filter [name=externalId]"));
        externalId.sendKeys("WEB-10001", Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#orders-table tr[data-id='" + tourId + "']")));
        assertThat(browser.findElements(By.cssSelector("#orders-table tbody tr[data-id] td:nth-child(3)")))
                .extracting(WebElement::getText).containsOnly("WEB-10001");
        usable("orders");

        browser.findElement(By.linkText(tourId)).click();
        WebElement journey = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("journey")));
        assertThat(journey.getText()).contains("Received").contains("order.created");
        browser.findElement(By.id("show-raw")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("raw-document"), "WEB-10001"));
        assertThat(browser.findElement(By.id("raw-document")).getText()).contains("Erika Mustermann").contains("MUG-BLUE");
        usable("order-journey");

        // cancel: backing out of the confirmation changes nothing; confirming cancels, with the audit entry
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        go("#/orders/" + orderId);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("cancel-order"))).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertThat(dialog.getText()).contains("Cancel order " + orderId);
        dialog.findElement(By.id("confirm-cancel")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
        assertThat(status(orderId)).isNotEqualTo("CANCELLED");
        assertThat(audited(orderId)).isEmpty();
        browser.findElement(By.id("cancel-order")).click();
        confirm("customer changed their mind");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("h1 .badge"), "CANCELLED"));
        assertThat(browser.findElement(By.id("journey")).getText()).contains("order.cancelled");
        assertThat(status(orderId)).isEqualTo("CANCELLED");
        assertAudited(orderId, "order.cancel", "OPS", "customer changed their mind");
        // the customer's mail about it (webshop mails its customers) in the journey
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/orders/" + orderId + "/journey", OPS_KEY).body()
                .get("notifications").size() > 0);
        go("#/orders/" + orderId);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("journey"), "Mail"));
        assertThat(browser.findElement(By.id("journey")).getText()).contains("order.cancelled").contains("customer");

        // by status: the cancelled one among the cancelled orders, nothing else
        go("#/orders?channel=webshop&status=CANCELLED");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#orders-table tr[data-id='" + orderId + "']")));
        assertThat(new Select(browser.findElement(By.cssSelector("#orders-filter [name=status]"))).getFirstSelectedOption().getText())
                .isEqualTo("CANCELLED");
        assertThat(browser.findElements(By.cssSelector("#orders-table tbody tr[data-id] td:nth-child(4)")))
                .extracting(WebElement::getText).containsOnly("CANCELLED");

        // received today (both days included) one per page: the pager moves to the next page
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        go("#/orders?channel=webshop&from=" + today + "&to=" + today + "&size=10");
        By pager = By.cssSelector("#orders-results .pager span");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(pager, "Page 1 of"));
        assertThat(browser.findElements(By.cssSelector("#orders-table tbody tr[data-id]"))).isNotEmpty();
        go("#/orders?channel=webshop&from=" + today + "&to=" + today + "&size=1");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(pager, "Page 1 of"));
        assertThat(browser.findElements(By.cssSelector("#orders-table tbody tr[data-id]"))).hasSize(1);
        String first = browser.findElement(By.cssSelector("#orders-table tbody tr[data-id]")).getAttribute("data-id");
        browser.findElement(By.xpath("//div[@class='pager']/button[contains(., 'Older')]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(pager, "Page 2 of"));
        assertThat(browser.findElement(By.cssSelector("#orders-table tbody tr[data-id]")).getAttribute("data-id")).isNotEqualTo(first);

        // the credential lives in this tab only: not in localStorage, no cookie, another tab asks to sign in
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat(js.executeScript("return localStorage.length")).isEqualTo(0L);
        assertThat(js.executeScript("return document.cookie")).isEqualTo("");
        assertThat((String) js.executeScript("return sessionStorage.getItem('orderhub.console.credential')")).contains(OPS_KEY);
        String tab = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(base() + "#/orders");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
        browser.close();
        browser.switchTo().window(tab);
    }

    @Test
    void aWholeJourneyShowsPaymentParcelsWithTrackingMailsAndDeliveries() {
        stubs.add(SyncTargetsServer.server().stubFor(any(urlPathMatching("/stripe/v1/.*")).withId(GATEWAY_STUB).atPriority(4)
                .willReturn(aResponse().proxiedFrom("http://localhost:" + port + "/sandbox/payment/stripe")
                        .withProxyUrlPrefixToRemove("/stripe"))));
        String sku = product(5, 0);
        ObjectNode order = orderFor("DE", sku, 2);
        order.putObject("payment").put("method", "card").put("token", "pm_card_visa");
        String orderId = submit(MARKETPLACE_KEY, order);
        awaitStatus(orderId, "ALLOCATED");
        for (JsonNode shipment : get("/api/orders/" + orderId + "/shipments", OPS_KEY).body()) {
            Response packed = postJson("/api/shipments/" + shipment.get("shipmentId").asText() + "/packed", OPS_KEY, "");
            assertThat(packed.status()).as(packed.toString()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo("COMPLETED"));
        JsonNode journey = await().atMost(Duration.ofSeconds(30)).until(
                () -> get("/api/orders/" + orderId + "/journey", OPS_KEY).body(), j -> j.get("outbound").size() == 2);
        String tracking = journey.at("/parcels/0/trackingNumber").asText();
        assertThat(tracking).isNotBlank();

        signIn(OPS_KEY);
        go("#/orders?trackingNumber=" + tracking);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#orders-table tr[data-id='" + orderId + "']")));
        assertThat(browser.findElements(By.cssSelector("#orders-table tbody tr[data-id]"))).hasSize(1);
        browser.findElement(By.linkText(orderId)).click();
        WebElement timeline = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("journey")));
        assertThat(timeline.getText()).contains("Received").contains("order.paid").contains("Payment CHARGE")
                .contains("stripe").contains("Parcel").contains("tracking " + tracking).contains("order.shipped")
                .contains("order.completed").contains("Delivered to ERP").contains("Delivered to CRM");
        // the time spent per state: each one left has its time
        List<String> states = browser.findElements(By.cssSelector("#order-stages tbody tr td:first-child")).stream()
                .map(WebElement::getText).toList();
        assertThat(states).containsSubsequence("CREATED", "CONFIRMED", "PAID", "ALLOCATED", "SHIPPED", "DELIVERED", "COMPLETED");
        assertThat(browser.findElements(By.cssSelector("#order-stages tbody tr td:nth-child(4)"))).allSatisfy(
                t -> assertThat(t.getText()).matches("[0-9.]+ (s|min|h|d)"));
        // ... and the timeline names it at each change: the time spent in the state entered there
        for (String state : List.of("CONFIRMED", "PAID", "ALLOCATED", "SHIPPED", "DELIVERED")) {
            assertThat(timeline.getText()).containsPattern("→ " + state + ".*\\([0-9.]+ (s|min|h|d) in " + state + "\\)");
        }
        assertThat(timeline.getText()).containsPattern("→ COMPLETED.*\\([0-9.]+ (s|min|h|d) so far\\)");
        assertThat(browser.findElements(By.id("cancel-order"))).isEmpty();
        usable("order-journey-complete");
    }

    @Test
    void deadLettersOfTheHubAreReplayedOneOrSelectedAndDiscardedWithAReason() {
        String prefix = "BAD-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        stubs.add(SyncTargetsServer.server().stubFor(patch(urlPathMatching(
                "/crm/services/data/v60.0/sobjects/Account/OrderHub_Customer_Id__c/webshop-" + prefix + ".*")).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("[{\"message\":\"Email: invalid email address\",\"errorCode\":\"INVALID_EMAIL_ADDRESS\"}]"))));
        List<String> orderIds = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ObjectNode order = order();
            ((ObjectNode) order.get("customer")).put("externalId", prefix + i);
            String orderId = postJson("/api/orders", WEBSHOP_KEY, order).body().get("orderId").asText();
            orderIds.add(orderId);
            ids.add(await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                    "select id from sync_dead_letters where order_id = ? and status = 'OPEN'", Long.class, orderId)
                    .stream().findFirst().orElse(null), l -> l != null));
        }
        removeStubs();

        signIn(OPS_KEY);
        // the order's journey shows its dead letter with a way to it
        go("#/orders/" + orderIds.get(0));
        WebElement journey = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("journey")));
        assertThat(journey.getText()).contains("Dead letter crm").contains("INVALID_EMAIL_ADDRESS");
        journey.findElement(By.linkText("open in dead letters")).click();
        By row = By.cssSelector("#dead-letters-table tr[data-id='" + ids.get(0) + "']");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "INVALID_EMAIL_ADDRESS"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("broker-queues")));

        // one replayed
        browser.findElement(row).findElement(By.cssSelector("button[data-action=replay]")).click();
        confirm(null);
        awaitNotice("REPLAYED");
        assertThat(letterStatus(ids.get(0))).isEqualTo("REPLAYED");
        assertAudited("dead-letter/" + ids.get(0), "deadLetter.replay", "OPS", null);

        // filtered by the reason, two of them selected and replayed together
        go("#/dead-letters?target=crm&reason=INVALID_EMAIL_ADDRESS&newerThan=PT1H");
        for (Long id : ids.subList(1, 3)) {
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dead-letters-table tr[data-id='" + id + "'] input[type=checkbox]")))
                    .click();
        }
        usable("dead-letters");
        browser.findElement(By.id("replay-selected")).click();
        confirm(null);
        awaitNotice("Bulk replay");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ids.subList(1, 3)).allSatisfy(
                id -> assertThat(letterStatus(id)).isEqualTo("REPLAYED")));
        for (Long id : ids.subList(1, 3)) {
            assertAudited("dead-letter/" + id, "deadLetter.replay", "OPS", null);
        }
        assertThat(auditedSince("dead-letters", "deadLetters.replay")).as("the bulk replay itself").hasSize(1);

        // the last one discarded: the reason is required
        By last = By.cssSelector("#dead-letters-table tr[data-id='" + ids.get(3) + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(last)).findElement(By.cssSelector("button[data-action=discard]")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        dialog.findElement(By.id("confirm-ok")).click();
        assertThat(dialog.isDisplayed()).as("no discard without a reason").isTrue();
        confirm("customer deleted in the CRM");
        awaitNotice("discarded");
        assertThat(letterStatus(ids.get(3))).isEqualTo("DISCARDED");
        assertAudited("dead-letter/" + ids.get(3), "deadLetter.discard", "OPS", "customer deleted in the CRM");

        // every OPEN one the filter selects (here the fifth order's), replayed after one confirmation
        go("#/dead-letters?orderId=" + orderIds.get(4));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dead-letters-table tr[data-id='" + ids.get(4) + "']")));
        browser.findElement(By.id("replay-matching")).click();
        WebElement asked = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertThat(asked.getText()).contains("every OPEN dead letter this filter selects");
        confirm(null);
        awaitNotice("Bulk replay");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(letterStatus(ids.get(4))).isEqualTo("REPLAYED"));
        assertAudited("dead-letter/" + ids.get(4), "deadLetter.replay", "OPS", null);
        assertThat(auditedSince("dead-letters", "deadLetters.replay")).as("both bulk replays").hasSize(2);

        // a filter the API refuses: its problem is shown with the field
        go("#/dead-letters?olderThan=yesterday-ish");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("problem"), "400"));
        assertThat(browser.findElement(By.id("problem")).getText()).contains("olderThan");

        go("#/audit");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-table"), "deadLetter.replay"));
        assertThat(browser.findElement(By.id("audit-table")).getText()).contains("deadLetter.discard")
                .contains("customer deleted in the CRM");
        usable("audit");
    }

    @Test
    void brokerDeadLettersAreReplayedToTheirQueueAndDiscardedWithAReason() {
        String sku = "CON" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String queue = "erp.stock-updates.DLQ";
        String fixable = sendStockUpdate("{\"levels\": [{\"sku\": \"" + sku + "\", \"warehouse\": \"eu-central\", \"onHand\": 7}]}");
        String poison = sendStockUpdate("{\"levels\": [{\"sku\": \"" + sku + "\", \"warehouse\": \"eu-central\", \"onHand\": \"many\"}]}");
        String fixableId = await().atMost(Duration.ofSeconds(30)).until(() -> brokerMessage(queue, fixable), m -> m != null);
        String poisonId = await().atMost(Duration.ofSeconds(30)).until(() -> brokerMessage(queue, poison), m -> m != null);
        Response product = put("/api/products/" + sku, OPS_KEY, Map.of("description", "console " + sku, "unitPrice", 10,
                "currency", "EUR", "weightKg", 0.5));
        assertThat(product.status()).as(product.toString()).isEqualTo(201);

        signIn(OPS_KEY);
        go("#/dead-letters");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#broker-queues tr[data-id='" + queue + "'] button"))).click();
        By fixableRow = By.cssSelector("#broker-messages-table tr[data-id='" + fixableId + "']");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(fixableRow, "erp.stock-updates"));
        assertThat(browser.findElement(fixableRow).getText()).contains(sku);
        By poisonRow = By.cssSelector("#broker-messages-table tr[data-id='" + poisonId + "']");
        // the queue's messages narrowed by what they hold: the poison one's text for a quantity
        type(By.cssSelector("#broker-messages [name=brokerFilter]"), "\"many\"");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(fixableRow));
        assertThat(browser.findElement(poisonRow).isDisplayed()).isTrue();
        usable("broker-dead-letters");
        browser.findElement(By.cssSelector("#broker-messages [name=brokerFilter]")).clear();
        ((JavascriptExecutor) browser).executeScript("document.querySelector('#broker-messages [name=brokerFilter]').dispatchEvent(new Event('input'));");
        wait.until(ExpectedConditions.visibilityOfElementLocated(fixableRow));

        browser.findElement(fixableRow).findElement(By.cssSelector("button[data-action=replay]")).click();
        confirm(null);
        awaitNotice("replayed");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(warehouse(sku, "eu-central").get("onHand").asInt()).isEqualTo(7));

        wait.until(ExpectedConditions.presenceOfElementLocated(poisonRow)).findElement(By.cssSelector("button[data-action=discard]")).click();
        confirm("ERP sent text for a quantity");
        awaitNotice("discarded");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(poisonRow));
        assertThat(brokerMessage(queue, poison)).isNull();
        assertAudited(queue + "/" + poisonId, "brokerDeadLetter.discard", "OPS", "ERP sent text for a quantity");
        assertAudited(queue + "/" + fixableId, "brokerDeadLetter.replay", "OPS", null);
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
        assertThat(marked).extracting(e -> e.getAttribute("data-pointer")).containsExactly("/currency");
        assertThat(marked.get(0).getText()).isEqualTo("\"EURO\"");
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView();", result);
        usable("mapping-playground");

        // a valid one: a new order would be created, nothing stored
        int before = jdbc.queryForObject("select count(*) from orders", Integer.class);
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", document, order().toString());
        browser.findElement(By.id("preview-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".preview-order"), "CREATE"));

        // the tour's cXML document uploaded as a file for channel b2b: read as cXML, its orders shown
        go("#/playground");
        WebElement channel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#playground-form [name=channel]")));
        channel.clear();
        channel.sendKeys("b2b");
        browser.findElement(By.cssSelector("#playground-form input[type=file]"))
                .sendKeys(Path.of("examples", "order-cxml.xml").toAbsolutePath().toString());
        wait.until(d -> d.findElement(By.cssSelector("#playground-form textarea")).getAttribute("value").contains("cXML"));
        assertThat(new Select(browser.findElement(By.cssSelector("#playground-form [name=contentType]"))).getFirstSelectedOption()
                .getAttribute("value")).isEqualTo("application/xml");
        browser.findElement(By.id("preview-button")).click();
        WebElement read = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#preview-result h2")));
        assertThat(read.getText()).containsIgnoringCase("cxml");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".preview-order")));
        assertThat(browser.findElement(By.cssSelector(".preview-order")).getText()).contains("Canonical order").doesNotContain("REJECT");
        screenshot("mapping-playground-cxml");

        // documents that are not JSON: each problem marked in the document where it points
        // CSV: "line 2, column unit_price" marks that cell of that line
        Map<String, String> csv = previewFile("mappings/tests/csv/bad-values.csv", "b2b");
        assertThat(csv).containsEntry("line 2, column unit_price", "\"12,50\"")
                .containsEntry("line 4, column order_date", "03/02/2026").containsEntry("line 4, column ship_country", "Narnia");
        // a member the canonical order lacks is named inside its parent, the order itself not marked as a whole
        assertThat(browser.findElements(By.cssSelector("#preview-result .json .missing"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#preview-result .json [data-pointer=''].err"))).isEmpty();
        usable("mapping-playground-csv");
        // the "show" button of a problem brings its mark into view and the focus to the document
        browser.findElement(By.cssSelector("button[aria-label='show where: line 4, column ship_country']")).click();
        wait.until(d -> "document-source".equals(d.switchTo().activeElement().getAttribute("id")));
        // cXML: an XPath into the document marks the attribute or element it names
        Map<String, String> cxml = previewFile("mappings/tests/cxml/line-ship-to-differs.xml", "b2b");
        assertThat(cxml).containsEntry("/cXML/Request/OrderRequest/ItemOut[1]/@quantity", "quantity=\"two\"");
        assertThat(cxml.get("/cXML/Request/OrderRequest/ItemOut[2]/ShipTo/Address")).startsWith("<Address").endsWith("</Address>");
        screenshot("mapping-playground-cxml-errors");
        // X12: "segment 4 (BEG) element 1" marks that element of that segment
        Map<String, String> x12 = previewFile("mappings/tests/x12-850/aaronhuggins-node-x12-850-vics-xyz-retail-BEG01-confirmation.edi", "b2b");
        assertThat(x12).containsEntry("segment 4 (BEG) element 1", "06");
        screenshot("mapping-playground-x12-errors");
        // XML that is not well-formed: the line the parser names
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];",
                browser.findElement(By.cssSelector("#playground-form textarea")), "<cXML>\n  <Request>\n    <Broken attr=>\n</cXML>\n");
        new Select(browser.findElement(By.cssSelector("#playground-form [name=contentType]"))).selectByValue("application/xml");
        browser.findElement(By.id("preview-button")).click();
        WebElement line = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#document-source mark.err[data-field=body]")));
        assertThat(line.getText()).isEqualTo("    <Broken attr=>");
        assertThat(jdbc.queryForObject("select count(*) from orders", Integer.class)).isEqualTo(before);
    }

    /**
     * Uploads a document into the playground for {@code channel}, previews it and answers each problem's field with
     * the text marked for it in the document (every problem listed must have its mark).
     */
    private Map<String, String> previewFile(String file, String channel) {
        go("#/playground");
        WebElement channelField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#playground-form [name=channel]")));
        channelField.clear();
        channelField.sendKeys(channel);
        String head = new String(readBytes(Path.of(file)), StandardCharsets.UTF_8).substring(0, 20);
        browser.findElement(By.cssSelector("#playground-form input[type=file]")).sendKeys(Path.of(file).toAbsolutePath().toString());
        wait.until(d -> d.findElement(By.cssSelector("#playground-form textarea")).getAttribute("value").startsWith(head));
        browser.findElement(By.id("preview-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("source-errors")));
        ((JavascriptExecutor) browser).executeScript("document.querySelector('#document-source mark.err').scrollIntoView({block: 'center'});");
        Map<String, String> marked = new java.util.LinkedHashMap<>();
        for (WebElement mark : browser.findElements(By.cssSelector("#document-source mark.err"))) {
            marked.putIfAbsent(mark.getAttribute("data-field"), mark.getText());
        }
        List<String> listed = browser.findElements(By.cssSelector("#preview-result .errors li code")).stream().map(WebElement::getText).toList();
        assertThat(browser.findElements(By.cssSelector("#preview-result .errors li button"))).as("a way to each problem's mark in " + listed)
                .hasSize(listed.size());
        return marked;
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }

    @Test
    void everyOtherPageShowsItsDataAndApiErrorsAreShown() throws IOException {
        String sku = product(40, 10);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int day = 1; day <= 60; day++) {
            jdbc.update("insert into planning_seeded_demand (sku, warehouse_id, demand_day, units) values (?, ?, ?, ?)", sku,
                    "eu-central", java.sql.Date.valueOf(today.minusDays(day)), 3 + day % 7);
        }
        // an order that moves on (stock reserved): the reports have a stage to chart
        String confirmed = submit(WEBSHOP_KEY, orderFor("DE", sku, 1));
        awaitStatus(confirmed, "CONFIRMED");
        String rejected = postJson("/api/orders", WEBSHOP_KEY, order().put("currency", "EURO")).header("X-Receipt-Id");

        // a wrong key: the problem's detail is shown
        browser.get(base());
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
        browser.navigate().refresh();
        type(By.id("credential"), "not-a-key");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("problem"), "401"));
        usable("sign-in");

        signIn(ADMIN_KEY);
        go("#/overview");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#connectors tbody tr")));
        String first = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("overview-updated"))).getText();
        wait.until(d -> !d.findElement(By.id("overview-updated")).getText().equals(first));
        assertThat(browser.findElement(By.id("orders-per-state")).getText()).contains("CREATED");
        assertThat(browser.findElements(By.cssSelector("#queues tbody tr"))).isNotEmpty();
        assertThat(browser.findElement(By.id("kpi-outbox")).getText()).matches("\\d+");
        usable("overview");

        go("#/receipts");
        By receipt = By.cssSelector("#receipts-table tr[data-id='" + rejected + "']");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(receipt, "/currency"));
        browser.findElement(receipt).findElement(By.xpath(".//button[text()='Content']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("receipt-content"), "EURO"));
        usable("rejected-receipts");
        // replayed through today's mappings it is still rejected: the API's problem is shown, the replay audited
        browser.findElement(receipt).findElement(By.xpath(".//button[text()='Replay']")).click();
        confirm(null);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("problem"), "/currency"));
        assertAudited(rejected, "receipt.replay", "ADMIN", null);
        // selected and replayed together: still rejected, counted, and the bulk replay audited as well
        go("#/receipts");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#receipts-table tr[data-id='" + rejected + "'] input[type=checkbox]"))).click();
        browser.findElement(By.id("replay-receipts")).click();
        confirm(null);
        awaitNotice("Replayed 1: 0 accepted, 1 still rejected");
        assertThat(audited(rejected)).extracting(e -> e.get("action").asText()).containsExactly("receipt.replay", "receipt.replay");
        assertThat(auditedSince("receipts", "receipts.replay")).hasSize(1);

        go("#/stock/" + sku);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#stock-table tbody tr")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#demand-chart canvas")));
        assertThat(browser.findElement(By.id("chart-summary")).getText()).contains("days of demand").contains("reorder point");
        new Select(browser.findElement(By.cssSelector("select[id^=chart-warehouse]"))).selectByValue("eu-central");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#demand-chart canvas")));
        assertThat(browser.findElement(By.id("chart-summary")).getText()).containsPattern("\\d+ days of demand from")
                .contains("days of forecast (");
        usable("stock-planning");

        go("#/reports");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#report-chart canvas")));
        assertThat(Integer.parseInt(browser.findElement(By.id("report-orders")).getText())).isPositive();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#stage-chart canvas")));
        usable("reports");
        try (var old = Files.list(DOWNLOADS)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        browser.findElement(By.id("download-csv")).click();
        awaitNotice("CSV downloaded");
        Path csv = await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (var files = Files.list(DOWNLOADS)) {
                return files.filter(f -> f.toString().endsWith(".csv")).findFirst().orElse(null);
            }
        }, f -> f != null);
        String lines = Files.readString(csv, StandardCharsets.UTF_8);
        assertThat(lines.lines().findFirst().orElse("")).isEqualTo("section,key,metric,currency,value");
        assertThat(lines).contains("orders");

        // a channel's key: its own orders only, no operator pages, another channel's order not shown
        String webshopOrder = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        Response b2bOrder = postJson("/api/orders", B2B_KEY, order());
        assertThat(b2bOrder.status()).as(b2bOrder.toString()).isEqualTo(201);
        String b2bOrderId = b2bOrder.body().get("orderId").asText();
        signIn(B2B_KEY);
        go("#/orders");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#orders-table tr[data-id='" + b2bOrderId + "']")));
        assertThat(browser.findElements(By.cssSelector("#orders-table tbody tr[data-id] td:nth-child(2)")))
                .extracting(WebElement::getText).containsOnly("b2b");
        assertThat(browser.findElement(By.cssSelector("#nav a[href='#/dead-letters']")).isDisplayed()).isFalse();
        go("#/orders/" + webshopOrder);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("problem")));
        assertThat(browser.findElement(By.id("problem")).getText()).containsAnyOf("403", "404");
        assertThat(browser.findElements(By.id("journey"))).isEmpty();
        go("#/dead-letters");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("problem"), "403"));
        assertThat(browser.findElements(By.cssSelector("#dead-letters-table"))).isEmpty();
    }

    @Test
    void aRejectedReceiptIsReplayedFromTheConsoleAfterTheMappingFix() throws Exception {
        String po = "PO-" + UUID.randomUUID().toString().substring(0, 8);
        String csv = String.join("\n",
                "order_number;order_date;currency;customer_name;customer_email;ship_name;ship_line1;ship_city;ship_postal_code;ship_country;sku;quantity;unit_price",
                po + ";2026-03-01;EUR;Kunde GmbH;einkauf@kunde.example;Kunde GmbH;Hauptstr. 1;Bonn;53111;DE;PAPER-A4;2;4.50") + "\n";
        Response first = post("/api/channels/b2b/orders", B2B_KEY, "text/csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(first.status()).as(first.toString()).isEqualTo(422);
        String receiptId = first.header("X-Receipt-Id");

        signIn(OPS_KEY);
        go("#/receipts?channel=b2b");
        By row = By.cssSelector("#receipts-table tr[data-id='" + receiptId + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row)).findElement(By.xpath(".//button[text()='Content']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("receipt-content"), po));

        // b2b gets a semicolon variant of the CSV mapping (the hub verifies and loads it), as in ChannelDocumentsApiTest
        Path variant = MAPPINGS.resolve("csv/b2b-semicolon.yaml");
        Files.writeString(variant, Files.readString(MAPPINGS.resolve("csv/default.yaml"))
                .replace("delimiter: \",\"", "delimiter: \";\""));
        Path channels = MAPPINGS.resolve("channels.yaml");
        String original = Files.readString(channels);
        try {
            Files.writeString(channels, original.replace("    apiKeys: [demo-b2b]\n",
                    "    apiKeys: [demo-b2b]\n    mappings: {csv: csv/b2b-semicolon.yaml}\n"));
            Files.setLastModifiedTime(channels, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(2)));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                byte[] stored = get("/api/receipts/" + receiptId + "/content", OPS_KEY).bytes();
                assertThat(post("/api/mappings/preview?channel=b2b", OPS_KEY, "text/csv", stored).body()
                        .path("orders").path(0).path("valid").asBoolean()).isTrue();
            });

            go("#/receipts?channel=b2b");
            wait.until(ExpectedConditions.presenceOfElementLocated(row)).findElement(By.xpath(".//button[text()='Replay']")).click();
            confirm(null);
            awaitNotice("accepted as order");
            String orderId = jdbc.queryForObject("select order_id from orders where channel = 'b2b' and external_id = ?", String.class, po);
            assertThat(browser.findElement(By.id("notice")).getText()).contains(orderId);
            assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class, receiptId)).isEqualTo("ACCEPTED");
            assertAudited(receiptId, "receipt.replay", "OPS", null);
        } finally {
            // the other tests of this hub read b2b's CSV with the default mapping: the channels file as it was
            Files.writeString(channels, original);
            Files.setLastModifiedTime(channels, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(4)));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    post("/api/mappings/preview?channel=b2b", OPS_KEY, "text/csv", "order_number,order_date\n"
                            .getBytes(StandardCharsets.UTF_8)).body().toString()).doesNotContain("b2b-semicolon"));
            Files.deleteIfExists(variant);
        }
    }

    @Test
    void aBearerTokenSignsInWithTheRoleOfItsClaimsAndItsActionsAreAuditedUnderItsSubject() {
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        String token = TestIssuer.token("console-operator", claims -> claims.claim("roles", List.of("OPS")));
        browser.get(base());
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("input[name=kind][value=bearer]"))).click();
        type(By.id("credential"), token);
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("jwt:console-operator · OPS");
        assertThat((String) ((JavascriptExecutor) browser).executeScript(
                "return sessionStorage.getItem('orderhub.console.credential')")).contains("\"kind\":\"bearer\"");
        assertThat(browser.findElement(By.cssSelector("#nav a[href='#/dead-letters']")).isDisplayed()).isTrue();

        go("#/orders/" + orderId);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("cancel-order"))).click();
        confirm("cancelled by the token's holder");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("h1 .badge"), "CANCELLED"));
        assertAudited(orderId, "order.cancel", "OPS", "cancelled by the token's holder");
        assertThat(audited(orderId).get(0).get("actor").asText()).isEqualTo("jwt:console-operator");
    }

    @Test
    void routesAreStoppedStartedAndReloadedByAnAdminOnly() {
        By planning = By.cssSelector("#routes-table tr[data-id='recomputePlanning']");
        // an order the hub refuses: a route's last error to show
        Response refused = postJson("/api/orders", WEBSHOP_KEY, order().put("currency", "EURO"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        signIn(OPS_KEY);
        go("#/routes");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(planning, "ADMIN only"));
        assertThat(browser.findElement(planning).findElements(By.tagName("button"))).isEmpty();
        // each route's state, exchanges, failures and last error
        assertThat(browser.findElements(By.cssSelector("#routes-table thead th"))).extracting(WebElement::getText)
                .containsSubsequence("Route", "State", "From", "Exchanges", "Failed", "In flight", "Last error");
        List<WebElement> submitCells = browser.findElements(By.cssSelector("#routes-table tr[data-id='submitOrder'] td"));
        assertThat(submitCells.get(1).getText()).isEqualTo("Started");
        assertThat(submitCells.get(3).getText()).matches("\\d+");
        assertThat(submitCells.get(4).getText()).matches("\\d+");
        // the last error as its message and time, not as JSON
        List<WebElement> lastErrors = browser.findElements(By.cssSelector("#routes-table .last-error"));
        assertThat(lastErrors).as("a route with a last error").isNotEmpty();
        assertThat(lastErrors).extracting(WebElement::getText).allSatisfy(t -> assertThat(t).isNotBlank().doesNotStartWith("{"));
        assertThat(lastErrors).extracting(WebElement::getText).anySatisfy(t -> assertThat(t).startsWith("DocumentRefused: the order has 1 problem"));

        signIn(ADMIN_KEY);
        go("#/routes");
        By submit = By.cssSelector("#routes-table tr[data-id='submitOrder']");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(submit, "Started"));
        assertThat(browser.findElement(submit).findElements(By.tagName("button"))).extracting(WebElement::getText)
                .contains("Stop", "Reload");
        // planning-jobs.camel.yaml: timer routes only (hourly in the test profile)
        type(By.cssSelector("#main input[type=search]"), "Planning");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(submit));
        usable("routes");
        browser.findElement(planning).findElement(By.xpath(".//button[text()='Stop']")).click();
        confirm(null);
        awaitNotice("Stopped");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(planning, "Stopped"));
        browser.findElement(planning).findElement(By.xpath(".//button[text()='Start']")).click();
        confirm(null);
        awaitNotice("Started");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(planning, "Started"));
        browser.findElement(planning).findElement(By.xpath(".//button[text()='Reload']")).click();
        confirm(null);
        awaitNotice("reloaded from");
        assertThat(browser.findElement(By.id("notice")).getText()).contains("planning-jobs").contains("checkReorderPoints");
        List<JsonNode> routeEntries = audited("recomputePlanning"); // newest first
        assertThat(routeEntries).extracting(e -> e.get("action").asText()).containsSubsequence("route.reload", "route.start", "route.stop");
        assertThat(routeEntries.subList(0, 3)).allSatisfy(e -> assertThat(e.get("role").asText()).isEqualTo("ADMIN"));
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

    /** Signs in with the keyboard alone: the key field has the focus, Enter sends the form. */
    private void signInByKeyboard(String key) {
        browser.get(base());
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("credential")));
        wait.until(d -> "credential".equals(d.switchTo().activeElement().getAttribute("id")));
        new Actions(browser).sendKeys(key).sendKeys(Keys.ENTER).perform();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    /** Presses Tab from the top of the page until {@code target} has the focus (it must be reachable so). */
    private WebElement tabTo(By target) {
        WebElement wanted = wait.until(ExpectedConditions.visibilityOfElementLocated(target));
        ((JavascriptExecutor) browser).executeScript("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
        for (int i = 0; i < 60; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            if (browser.switchTo().activeElement().equals(wanted)) {
                return wanted;
            }
        }
        throw new AssertionError(target + " not reached with the Tab key");
    }

    /** Opens a page of the console; the page shown already is loaded again (its data may have changed). */
    private void go(String hash) {
        String url = base() + hash;
        if (url.equals(browser.getCurrentUrl())) {
            browser.navigate().refresh();
        } else {
            browser.get(url);
        }
        wait.until(ExpectedConditions.or(ExpectedConditions.visibilityOfElementLocated(By.id("nav")),
                ExpectedConditions.visibilityOfElementLocated(By.id("sign-in"))));
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
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
    }

    /** Waits for the notice of an action's outcome; an API problem shown instead fails with its text. */
    private void awaitNotice(String text) {
        wait.until(d -> d.findElement(By.id("notice")).getText().contains(text) || d.findElement(By.id("problem")).isDisplayed());
        assertThat(browser.findElement(By.id("problem")).isDisplayed())
                .as("problem shown: " + browser.findElement(By.id("problem")).getText()).isFalse();
        assertThat(browser.findElement(By.id("notice")).getText()).contains(text);
    }

    /**
     * The page shown as a person meets it: every control has a label (a label element, aria-label or its text) and
     * none is taken out of the Tab order; the screenshot at 1280 px; at a phone's width (390 px) nothing is wider
     * than the screen but the tables' and charts' own scroll boxes, and its screenshot too.
     */
    @SuppressWarnings("unchecked")
    private void usable(String name) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        List<String> unlabelled = (List<String>) js.executeScript("""
                const out = [];
                for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
                  if (el.closest('[hidden], dialog:not([open])') || el.type === 'hidden') continue;
                  const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
                    || el.getAttribute('aria-labelledby') || ((el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent.trim());
                  if (!named || el.tabIndex < 0) out.push(el.outerHTML.substring(0, 120));
                }
                return out;""");
        assertThat(unlabelled).as("controls without a label or out of the Tab order on " + name).isEmpty();
        screenshot(name);
        browser.manage().window().setSize(new Dimension(390, 844));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(((Number) js.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")).intValue())
                .as(() -> "horizontal overflow at 390 px on " + name + ": " + js.executeScript("""
                        const w = document.documentElement.clientWidth, out = [];
                        for (const el of document.querySelectorAll('body *')) {
                          if (el.getBoundingClientRect().right > w + 1) out.push(el.tagName + '#' + el.id + '.' + el.className);
                        }
                        return out.slice(0, 15).join(' ');"""))
                .isLessThanOrEqualTo(0));
        screenshot(name + "-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    /** The audit log's entries about {@code target}, newest first, as the audit API answers them. */
    private List<JsonNode> audited(String target) {
        Response r = get("/api/ops/audit?limit=1000&target=" + java.net.URLEncoder.encode(target, StandardCharsets.UTF_8), OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.body().forEach(out::add);
        return out;
    }

    /** The entries of {@code action} about {@code target} written since this test began. */
    private List<JsonNode> auditedSince(String target, String action) {
        return audited(target).stream().filter(e -> action.equals(e.get("action").asText()))
                .filter(e -> !java.time.Instant.parse(e.get("at").asText()).isBefore(started)).toList();
    }

    /** The action taken in the console is in the audit log (audit API): who (role), what, on what, and why. */
    private void assertAudited(String target, String action, String role, String detailStart) {
        JsonNode entry = await().atMost(Duration.ofSeconds(10)).until(() -> audited(target).stream()
                .filter(e -> action.equals(e.get("action").asText())).findFirst().orElse(null), e -> e != null);
        assertThat(entry.get("role").asText()).isEqualTo(role);
        assertThat(entry.path("actor").asText()).isNotBlank();
        assertThat(java.time.Instant.parse(entry.get("at").asText())).isAfterOrEqualTo(started);
        if (detailStart != null) {
            assertThat(entry.path("detail").asText()).startsWith(detailStart);
        }
    }

    private String letterStatus(long id) {
        return jdbc.queryForObject("select status from sync_dead_letters where id = ?", String.class, id);
    }

    private String sendStockUpdate(String body) {
        String updateId = "U" + UUID.randomUUID().toString().replace('-', 'x');
        new JmsTemplate(connectionFactory).send("erp.stock-updates", session -> {
            Message m = session.createTextMessage(body);
            m.setStringProperty("updateId", updateId);
            return m;
        });
        return updateId;
    }

    /** The message id of the message with this updateId on the broker's dead letter queue, or null. */
    private String brokerMessage(String queue, String updateId) {
        Response r = get("/api/ops/broker/dead-letters/" + queue + "?limit=1000", OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (JsonNode m : r.body()) {
            if (updateId.equals(m.at("/properties/updateId").asText())) {
                return m.get("messageId").asText();
            }
        }
        return null;
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
