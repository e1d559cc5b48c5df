package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A document whose purpose is CANCEL, REPLACE or DUPLICATE acts on the order the channel sent before under the
 * same externalId (OrderAmendments), through the real intake: stock released or re-reserved, the timeline and
 * the outbox carry the change, refusals name the order's state and change nothing. The webshop channel is paid
 * by hand in the test profile, so its orders wait in CONFIRMED.
 */
class DocumentPurposeFlowTest extends InventoryTestSupport {

    @Autowired
    OrderService orders;
    @Autowired
    TransactionTemplate tx;

    private ObjectNode with(ObjectNode order, String purpose) {
        ObjectNode copy = order.deepCopy();
        copy.put("purpose", purpose);
        return copy;
    }

    private int reserved(String orderId, String sku) {
        Integer n = jdbc.queryForObject("select coalesce(sum(quantity), 0) from reservations where order_id = ? and sku = ?",
                Integer.class, orderId, sku);
        return n == null ? 0 : n;
    }

    private List<String> timeline(String orderId) {
        return jdbc.queryForList("select type from order_events where order_id = ? order by id", String.class, orderId);
    }

    private JsonNode lastEvent(String orderId, String type) throws Exception {
        List<String> payloads = outboxPayloads(orderId, type);
        assertThat(payloads).as("outbox events " + type + " of " + orderId).isNotEmpty();
        return json.readTree(payloads.get(0));
    }

    private void moveTo(String orderId, OrderStatus... path) {
        // one transaction: the stages see only the last state and leave the order alone
        tx.executeWithoutResult(s -> {
            for (OrderStatus to : path) {
                orders.transition(orderId, to, "order." + to.name().toLowerCase(), "test");
            }
        });
    }

    @Test
    void aCancellationOfAConfirmedOrderCancelsItAndReleasesItsStock() throws Exception {
        String sku = product(5, 0);
        ObjectNode order = orderFor("DE", sku, 3);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        assertThat(inventory(sku).get("available").asInt()).isEqualTo(2);

        Response r = postJson("/api/orders", WEBSHOP_KEY, with(order, "CANCEL"));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("orderId").asText()).isEqualTo(orderId);
        assertThat(r.body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(status(orderId)).isEqualTo("CANCELLED");
        assertThat(inventory(sku).get("available").asInt()).isEqualTo(5);
        assertThat(reserved(orderId, sku)).isZero();
        assertLedgerMatchesStock(sku);
        assertThat(timeline(orderId)).endsWith("order.cancelled");
        JsonNode event = lastEvent(orderId, "order.cancelled");
        assertThat(event.at("/data/source").asText()).isEqualTo("document");
        assertThat(event.at("/data/reason").asText()).contains("cancellation document").contains(r.header("X-Receipt-Id") == null
                ? "receipt" : r.header("X-Receipt-Id"));
        assertThat(jdbc.queryForObject("select count(*) from orders where channel = 'webshop' and external_id = ?",
                Integer.class, order.get("externalId").asText())).isEqualTo(1);
    }

    @Test
    void aCancellationOfAShippedOrderIsRefusedWithItsState() {
        String sku = product(5, 0);
        ObjectNode order = orderFor("DE", sku, 1);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        moveTo(orderId, OrderStatus.PAID, OrderStatus.ALLOCATED, OrderStatus.SHIPPED);
        List<String> before = timeline(orderId);

        Response r = postJson("/api/orders", WEBSHOP_KEY, with(order, "CANCEL"));

        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.body().get("errors").get(0).get("field").asText()).isEqualTo("/purpose");
        assertThat(r.body().get("errors").get(0).get("message").asText())
                .contains(orderId).contains("is SHIPPED").contains("cannot recall");
        assertThat(status(orderId)).isEqualTo("SHIPPED");
        assertThat(timeline(orderId)).isEqualTo(before);
        String receiptId = r.header("X-Receipt-Id");
        if (receiptId != null) {
            assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class, receiptId))
                    .isEqualTo("REJECTED");
        }
    }

    @Test
    void aReplacementBeforeAllocationReplacesTheLinesAndReReservesTheStock() throws Exception {
        String first = product(5, 0);
        String second = product(4, 0);
        ObjectNode order = orderFor("DE", first, 2);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        assertThat(reserved(orderId, first)).isEqualTo(2);

        ObjectNode replacement = orderFor("DE", first, 4, second, 3);
        replacement.put("externalId", order.get("externalId").asText());
        ((ObjectNode) replacement.get("shipTo")).put("line1", "Neue Straße 1");
        Response r = postJson("/api/orders", WEBSHOP_KEY, with(replacement, "REPLACE"));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("orderId").asText()).isEqualTo(orderId);
        assertThat(r.body().get("status").asText()).isEqualTo("CONFIRMED");
        JsonNode stored = get("/api/orders/" + orderId, WEBSHOP_KEY).body();
        assertThat(stored.get("lines")).hasSize(2);
        assertThat(stored.at("/lines/0/quantity").asInt()).isEqualTo(4);
        assertThat(stored.at("/lines/1/sku").asText()).isEqualTo(second);
        assertThat(stored.at("/shipTo/line1").asText()).isEqualTo("Neue Straße 1");
        assertThat(stored.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("70.00");
        assertThat(jdbc.queryForObject("select grand_total from orders where order_id = ?", java.math.BigDecimal.class,
                orderId)).isEqualByComparingTo("70.00");
        assertThat(jdbc.queryForObject("select count(*) from order_lines where order_id = ?", Integer.class, orderId))
                .isEqualTo(2);
        assertThat(reserved(orderId, first)).isEqualTo(4);
        assertThat(reserved(orderId, second)).isEqualTo(3);
        assertThat(inventory(first).get("available").asInt()).isEqualTo(1);
        assertThat(inventory(second).get("available").asInt()).isEqualTo(1);
        assertLedgerMatchesStock(first);
        assertLedgerMatchesStock(second);
        assertThat(timeline(orderId)).endsWith("order.replaced");
        JsonNode event = lastEvent(orderId, "order.replaced");
        assertThat(event.at("/data/source").asText()).isEqualTo("document");
        assertThat(event.at("/data/detail").asText()).contains("1: 2 x " + first).contains("2: 3 x " + second)
                .contains("20.00 -> 70.00").contains("ship-to changed");
        assertThat(event.at("/data/order/lines")).hasSize(2);

        // the same replacement again (a resend, a replay) changes nothing and adds no event
        Response again = postJson("/api/orders", WEBSHOP_KEY, with(replacement, "REPLACE"));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(timeline(orderId).stream().filter("order.replaced"::equals).count()).isEqualTo(1);
        assertThat(reserved(orderId, first)).isEqualTo(4);
    }

    @Test
    void aReplacementShortOfStockIsRefusedAndTheOrderStaysAsItWas() {
        String sku = product(3, 0);
        ObjectNode order = orderFor("DE", sku, 2);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");

        ObjectNode replacement = orderFor("DE", sku, 9);
        replacement.put("externalId", order.get("externalId").asText());
        Response r = postJson("/api/orders", WEBSHOP_KEY, with(replacement, "REPLACE"));

        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.text()).contains("stock is short").contains("9 wanted");
        assertThat(reserved(orderId, sku)).isEqualTo(2);
        assertThat(inventory(sku).get("available").asInt()).isEqualTo(1);
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).body().at("/lines/0/quantity").asInt()).isEqualTo(2);
        assertThat(timeline(orderId)).doesNotContain("order.replaced");
        assertLedgerMatchesStock(sku);
    }

    @Test
    void aReplacementAfterAllocationIsRefusedWithTheReason() {
        String sku = product(5, 0);
        ObjectNode order = orderFor("DE", sku, 1);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        moveTo(orderId, OrderStatus.PAID, OrderStatus.ALLOCATED);

        ObjectNode replacement = orderFor("DE", sku, 2);
        replacement.put("externalId", order.get("externalId").asText());
        Response r = postJson("/api/orders", WEBSHOP_KEY, with(replacement, "REPLACE"));

        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.body().at("/errors/0/message").asText()).contains(orderId).contains("is ALLOCATED")
                .contains("can no longer be replaced");
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).body().at("/lines/0/quantity").asInt()).isEqualTo(1);
        assertThat(timeline(orderId)).doesNotContain("order.replaced");
    }

    @Test
    void aReplacementOfAPaidOrderWhosePaymentIsInProgressIsRefusedWithTheReason() {
        String sku = product(5, 0);
        ObjectNode order = orderFor("DE", sku, 1);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        // a charge still at its gateway (the webshop channel is paid by hand in the tests: the row is the test's)
        jdbc.update("insert into payments (order_id, kind, gateway, method, attempt, idempotency_key, amount, amount_minor,"
                + " currency, status, created_at, updated_at) values (?, 'CHARGE', 'not-a-gateway', 'card', 1, ?, 10.00, 1000,"
                + " 'EUR', 'PENDING', current_timestamp, current_timestamp)", orderId, "test-" + orderId + "-charge");

        ObjectNode replacement = orderFor("DE", sku, 2);
        replacement.put("externalId", order.get("externalId").asText());
        Response r = postJson("/api/orders", WEBSHOP_KEY, with(replacement, "REPLACE"));

        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.body().at("/errors/0/message").asText()).contains(orderId).contains("in progress (PENDING)")
                .contains("once the payment has settled");
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).body().at("/lines/0/quantity").asInt()).isEqualTo(1);
    }

    @Test
    void aDuplicateAnswersWithTheStoredOrderAndChangesNothing() {
        String sku = product(5, 0);
        ObjectNode order = orderFor("DE", sku, 1);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        List<String> before = timeline(orderId);
        ObjectNode copy = with(order, "DUPLICATE");
        ((ObjectNode) copy.get("lines").get(0)).put("quantity", 5).put("lineTotal", 50);

        Response r = postJson("/api/orders", WEBSHOP_KEY, copy);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("orderId").asText()).isEqualTo(orderId);
        assertThat(r.body().at("/lines/0/quantity").asInt()).isEqualTo(1);
        assertThat(timeline(orderId)).isEqualTo(before);
        assertThat(reserved(orderId, sku)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from orders where channel = 'webshop' and external_id = ?",
                Integer.class, order.get("externalId").asText())).isEqualTo(1);
    }

    @Test
    void aCancellationOrReplacementOfAnUnknownOrderIsRefusedNamingItsExternalId() {
        ObjectNode order = orderFor("DE", product(1, 0), 1);
        String externalId = order.get("externalId").asText();

        for (String purpose : List.of("CANCEL", "REPLACE", "DUPLICATE")) {
            Response r = postJson("/api/orders", WEBSHOP_KEY, with(order, purpose));
            assertThat(r.status()).as(purpose + " " + r).isEqualTo(422);
            assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("/purpose");
            assertThat(r.body().at("/errors/0/message").asText()).contains("no order with externalId '" + externalId + "'");
        }
        assertThat(jdbc.queryForObject("select count(*) from orders where channel = 'webshop' and external_id = ?",
                Integer.class, externalId)).isZero();
    }

    @Test
    void aCancellationNeedsOnlyTheExternalIdAndAnUnknownPurposeIsNamed() {
        String sku = product(2, 0);
        ObjectNode order = orderFor("DE", sku, 1);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");

        Response wrong = postJson("/api/orders", WEBSHOP_KEY, Map.of("externalId", order.get("externalId").asText(),
                "purpose", "STORNO"));
        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(422);
        assertThat(wrong.body().at("/errors/0/field").asText()).isEqualTo("/purpose");
        assertThat(status(orderId)).isEqualTo("CONFIRMED");

        Response r = postJson("/api/orders", WEBSHOP_KEY, Map.of("externalId", order.get("externalId").asText(),
                "purpose", "CANCEL"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(status(orderId)).isEqualTo("CANCELLED");
        // the same cancellation again changes nothing and answers with the cancelled order
        Response again = postJson("/api/orders", WEBSHOP_KEY, Map.of("externalId", order.get("externalId").asText(),
                "purpose", "CANCEL"));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(timeline(orderId).stream().filter("order.cancelled"::equals).count()).isEqualTo(1);
    }
}
