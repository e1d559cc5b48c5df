package io.orderhub.sync.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.inventory.InventoryTestSupport;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stock levels and catalogue from the ERP: pushed over REST and the queue erp.stock-updates, pulled
 * from the sandbox ERP; arriving stock confirms backordered orders; bad updates are named precisely,
 * refused whole, and dead-lettered from the queue with the reason.
 */
class ErpStockInboundTest extends InventoryTestSupport {

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    ErpStockPoller poller;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void stockPushedOverRestConfirmsABackorderedOrder() {
        String sku = product(0, 0);
        String orderId = submit(B2B_KEY, orderFor("DE", sku, 2));
        awaitStatus(orderId, "BACKORDERED");

        Response r = postJson("/api/erp/stock-levels", OPS_KEY, Map.of("updateId", "U-" + UUID.randomUUID(),
                "levels", List.of(Map.of("sku", sku, "warehouse", "eu-central", "onHand", 5))));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("confirmedBackorders")).extracting(JsonNode::asText).containsExactly(orderId);
        // an update id with a control character (a NUL PostgreSQL refuses) is named, not a 500 (ApiFuzzTest)
        Response nul = postJson("/api/erp/stock-levels", OPS_KEY, Map.of("updateId", "U-\u0000",
                "levels", List.of(Map.of("sku", sku, "warehouse", "eu-central", "onHand", 5))));
        assertThat(nul.status()).as(nul.toString()).isEqualTo(422);
        assertThat(nul.body().at("/errors/0/field").asText()).isEqualTo("/updateId");
        assertThat(status(orderId)).isEqualTo("CONFIRMED");
        assertThat(warehouse(sku, "eu-central").get("onHand").asInt()).isEqualTo(5);
        assertThat(warehouse(sku, "eu-central").get("reserved").asInt()).isEqualTo(2);
        assertThat(jdbc.queryForObject("select reason from stock_ledger where sku = ? and movement = 'RECEIVE' order by id desc limit 1",
                String.class, sku)).contains("ERP stock level (rest");
        assertLedgerMatchesStock(sku);

        // the same level again changes nothing (no ledger entry)
        Integer entries = jdbc.queryForObject("select count(*) from stock_ledger where sku = ?", Integer.class, sku);
        Response again = postJson("/api/erp/stock-levels", OPS_KEY,
                Map.of("levels", List.of(Map.of("sku", sku, "warehouse", "eu-central", "onHand", 5))));
        assertThat(again.body().get("unchanged").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from stock_ledger where sku = ?", Integer.class, sku)).isEqualTo(entries);
    }

    @Test
    void catalogueFromTheErpCreatesAndUpdatesProducts() {
        String sku = "ERP-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Response r = postJson("/api/erp/catalogue", OPS_KEY, Map.of("products", List.of(Map.of("sku", sku,
                "description", "Kettle", "unitPrice", new java.math.BigDecimal("39.90"), "currency", "EUR", "weightKg", 1.25))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("products")).extracting(JsonNode::asText).containsExactly(sku);
        assertThat(jdbc.queryForObject("select unit_price from products where sku = ?", java.math.BigDecimal.class, sku))
                .isEqualByComparingTo("39.90");
        assertThat(inventory(sku).get("warehouses")).hasSize(2);
    }

    @Test
    void aRepeatedUpdateIdWithABadEntryIsRefusedNotAnsweredAsADuplicate() {
        String sku = "ERP-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String updateId = "U-" + UUID.randomUUID();
        Response first = postJson("/api/erp/catalogue", OPS_KEY, Map.of("updateId", updateId, "products",
                List.of(Map.of("sku", sku, "description", "Kettle", "currency", "EUR", "unitPrice", 10))));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().get("duplicate").asBoolean()).isFalse();

        Response bad = postJson("/api/erp/catalogue", OPS_KEY, Map.of("updateId", updateId, "products",
                List.of(Map.of("sku", sku, "currency", "euro"))));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(bad.body().get("errors").get(0).get("field").asText()).isEqualTo("/products/0/currency");

        Response again = postJson("/api/erp/catalogue", OPS_KEY, Map.of("updateId", updateId, "products",
                List.of(Map.of("sku", sku, "description", "Kettle", "currency", "EUR", "unitPrice", 10))));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body().get("duplicate").asBoolean()).isTrue();
    }

    @Test
    void aBadEntryIsNamedAndRefusesTheWholeUpdate() {
        String sku = product(1, 0);
        Response r = postJson("/api/erp/stock-levels", OPS_KEY, Map.of("levels", List.of(
                Map.of("sku", sku, "warehouse", "eu-central", "onHand", 9),
                Map.of("sku", sku, "warehouse", "us-east", "onHand", -3))));

        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.body().get("errors").get(0).get("field").asText()).isEqualTo("/levels/1/onHand");
        assertThat(r.body().get("errors").get(0).get("message").asText()).contains("must not be negative, got -3");
        assertThat(warehouse(sku, "eu-central").get("onHand").asInt()).as("nothing applied").isEqualTo(1);

        Response unknown = postJson("/api/erp/stock-levels", OPS_KEY,
                Map.of("levels", List.of(Map.of("sku", "NO-SUCH-" + UUID.randomUUID(), "warehouse", "eu-central", "onHand", 1))));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
        assertThat(unknown.body().get("errors").get(0).get("field").asText()).isEqualTo("/levels/0/sku");
    }

    @Test
    void stockFromTheQueueConfirmsABackorderedOrderOnceEvenWhenResent() throws Exception {
        String sku = product(0, 0);
        String orderId = submit(B2B_KEY, orderFor("DE", sku, 3));
        awaitStatus(orderId, "BACKORDERED");
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        String updateId = "U-" + UUID.randomUUID();

        send(jms, updateId, level(sku, "eu-central", 4));
        awaitStatus(orderId, "CONFIRMED");
        assertThat(warehouse(sku, "eu-central").get("onHand").asInt()).isEqualTo(4);

        // the same update id again (a resend with other content) changes nothing; a later update still applies
        send(jms, updateId, level(sku, "eu-central", 50));
        send(jms, "U-" + UUID.randomUUID(), level(sku, "us-east", 7));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(warehouse(sku, "us-east").get("onHand").asInt()).isEqualTo(7));
        assertThat(warehouse(sku, "eu-central").get("onHand").asInt()).isEqualTo(4);
        assertThat(jdbc.queryForObject("select via from erp_inbound_updates where update_id = ?", String.class, updateId))
                .isEqualTo("jms");
        assertLedgerMatchesStock(sku);
    }

    @Test
    void aPoisonStockMessageIsDeadLetteredWithItsReason() throws Exception {
        String sku = product(2, 0);
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setReceiveTimeout(30_000);
        String bad = "U-" + UUID.randomUUID();
        send(jms, bad, "{\"levels\": [{\"sku\": \"" + sku + "\", \"warehouse\": \"eu-central\", \"onHand\": \"many\"}]}");
        String broken = "U-" + UUID.randomUUID();
        send(jms, broken, "{\"levels\": [");

        Message dead = jms.receiveSelected("erp.stock-updates.DLQ", "updateId = '" + bad + "'");
        assertThat(dead).as("dead letter of " + bad).isNotNull();
        assertThat(dead.getStringProperty("OrderHubFailureReason"))
                .isEqualTo("/levels/0/onHand: must be a whole number of units, got \"many\"");
        assertThat(dead.getStringProperty("OrderHubFailureFields")).isEqualTo("/levels/0/onHand");
        assertThat(dead.getStringProperty("OrderHubOriginalQueue")).isEqualTo("erp.stock-updates");
        assertThat(dead.getBody(String.class)).contains("\"many\"");

        Message unreadable = jms.receiveSelected("erp.stock-updates.DLQ", "updateId = '" + broken + "'");
        assertThat(unreadable).isNotNull();
        assertThat(unreadable.getStringProperty("OrderHubFailureReason")).startsWith("body: is not valid JSON");

        assertThat(warehouse(sku, "eu-central").get("onHand").asInt()).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from erp_inbound_updates where update_id in (?, ?)",
                Integer.class, bad, broken)).isZero();
    }

    @Test
    void theScheduledPullReadsTheSandboxErpAndConfirmsBackorders() {
        String sku = product(0, 0);
        String orderId = submit(B2B_KEY, orderFor("DE", sku, 2));
        awaitStatus(orderId, "BACKORDERED");
        Response set = put("/sandbox/erp/stock-levels/" + sku, OPS_KEY, Map.of("warehouse", "us-east", "onHand", 6));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(get("/sandbox/erp/stock-levels", null).body().get("levels").toString()).contains(sku);

        ErpStockPoller.Result r = poller.pollNow();

        assertThat(r.status()).as(r.toString()).isEqualTo(ErpStockPoller.Status.PULLED);
        assertThat(r.applied()).contains(new ErpStockFeed.Level(sku, "us-east", 6));
        assertThat(r.confirmedBackorders()).contains(orderId);
        assertThat(status(orderId)).isEqualTo("CONFIRMED");
        assertThat(warehouse(sku, "us-east").get("onHand").asInt()).isEqualTo(6);
        assertThat(jdbc.queryForObject("select last_result from erp_inbound_lock where name = 'stock-poll'", String.class))
                .startsWith("PULLED");

        // a level the hub refuses (an unknown SKU) is reported and does not hold back the others
        String unknown = "NO-SUCH-" + UUID.randomUUID().toString().substring(0, 8);
        put("/sandbox/erp/stock-levels/" + unknown, OPS_KEY, Map.of("warehouse", "us-east", "onHand", 1));
        put("/sandbox/erp/stock-levels/" + sku, OPS_KEY, Map.of("warehouse", "us-east", "onHand", 8));
        ErpStockPoller.Result next = poller.pollNow();
        assertThat(next.refused()).anySatisfy(reason -> assertThat(reason).contains("/sku").contains(unknown));
        assertThat(next.applied()).contains(new ErpStockFeed.Level(sku, "us-east", 8));
        assertThat(warehouse(sku, "us-east").get("onHand").asInt()).isEqualTo(8);
    }

    @Test
    void onlyOneInstancePullsAtATime() throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TransactionTemplate tx = new TransactionTemplate(transactions);
        CompletableFuture<Void> otherInstance = CompletableFuture.runAsync(() -> tx.executeWithoutResult(s -> {
            jdbc.queryForList("select name from erp_inbound_lock where name = 'stock-poll' for update");
            locked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            ErpStockPoller.Result r = poller.pollNow();
            assertThat(r.status()).isEqualTo(ErpStockPoller.Status.SKIPPED);
            assertThat(r.detail()).isEqualTo("another instance is pulling");
        } finally {
            release.countDown();
            otherInstance.get(30, TimeUnit.SECONDS);
        }
        // once it is free, the timer's pull right after a pull is skipped: one pull per interval
        assertThat(poller.pollNow().status()).isEqualTo(ErpStockPoller.Status.PULLED);
        assertThat(poller.poll().status()).isEqualTo(ErpStockPoller.Status.SKIPPED);
    }

    private String level(String sku, String warehouse, int onHand) {
        return "{\"levels\": [{\"sku\": \"" + sku + "\", \"warehouse\": \"" + warehouse + "\", \"onHand\": " + onHand + "}]}";
    }

    static void send(JmsTemplate jms, String updateId, String body) {
        jms.send("erp.stock-updates", session -> {
            Message m = session.createTextMessage(body);
            m.setStringProperty("updateId", updateId);
            return m;
        });
    }
}
