package io.orderhub.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Channels' own refunds in the running hub: a Shopify refunds/create body and a WooCommerce refund, posted by the
 * channel's key to {@code POST /api/channels/{channel}/refunds?format=}, become returns the channel already
 * refunded (REFUNDED, the refund recorded as done: never sent to a gateway, and counted against what the hub may
 * still refund), restocked units back in stock; the same refund again changes nothing.
 */
class ChannelRefundsTest extends HubTestSupport {

    static final String MARKETPLACE_KEY = "test-marketplace-secret";

    @Autowired
    OrderService orders;

    @Test
    void aShopifyRefundBecomesAReturnRefundedOnceByTheChannelAndTheRestockedUnitIsBack() throws IOException {
        String mug = product(10);
        String tee = product(10);
        String shopifyId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        ObjectNode order = orderFor(mug, 2, tee, 1);
        order.put("externalId", "#" + shopifyId.substring(0, 6) + "-" + UUID.randomUUID().toString().substring(0, 8));
        order.putObject("payment").put("method", "prepaid").put("reference", "shopify_payments:" + shopifyId);
        String orderId = shipped(MARKETPLACE_KEY, order);
        assertThat(available(mug)).isEqualTo(8);

        // mug: returned and restocked; tee: refunded, the buyer keeps it; 25.00 paid back of the 30.00 paid
        ObjectNode refund = (ObjectNode) json.readTree(Path.of("mappings/refunds/tests/shopify-refunds-create-return.json")
                .toFile());
        String refundId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        refund.put("id", Long.parseLong(refundId));
        refund.put("order_id", Long.parseLong(shopifyId));
        ArrayNode items = (ArrayNode) refund.get("refund_line_items");
        ((ObjectNode) items.get(0).get("line_item")).put("sku", mug);
        ((ObjectNode) items.get(1).get("line_item")).put("sku", tee);
        ((ObjectNode) refund.get("transactions").get(0)).put("amount", "25.00");

        Response created = postJson("/api/channels/marketplace/refunds?format=shopify", MARKETPLACE_KEY, refund);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode r = created.body();
        String returnId = r.get("returnId").asText();
        assertThat(created.raw().headers().firstValue("Location")).hasValue("/api/returns/" + returnId);
        assertThat(r.get("orderId").asText()).isEqualTo(orderId);
        assertThat(r.get("status").asText()).isEqualTo("REFUNDED");
        assertThat(r.at("/refund/amount").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(r.path("label").isMissingNode() || r.path("label").isNull()).as("no label: the channel took it back").isTrue();
        assertThat(r.at("/lines/0/sku").asText()).isEqualTo(mug);
        assertThat(r.at("/lines/0/quantity").asInt()).isEqualTo(1);
        assertThat(r.at("/lines/0/received/restock").asInt()).isEqualTo(1);
        assertThat(r.at("/lines/0/reason").asText()).isEqualTo("Wrong size");
        assertThat(r.at("/lines/1/sku").asText()).isEqualTo(tee);
        assertThat(r.at("/lines/1/received/restock").asInt()).isZero();
        assertThat(available(mug)).isEqualTo(9);
        assertThat(available(tee)).isEqualTo(9);
        // the refund is recorded as the channel's, done: no gateway call, no pending row
        List<Map<String, Object>> refunds = jdbc.queryForList("select gateway, method, status, amount, refund_id from payments"
                + " where order_id = ? and kind = 'REFUND'", orderId);
        assertThat(refunds).hasSize(1);
        assertThat(refunds.get(0)).containsEntry("gateway", "marketplace").containsEntry("method", "channel")
                .containsEntry("status", "SUCCEEDED").containsEntry("refund_id", refundId);
        assertThat((BigDecimal) refunds.get(0).get("amount")).isEqualByComparingTo("25.00");
        assertThat(jdbc.queryForList("select type from outbox where order_id = ? and type like 'return.%' order by id",
                String.class, orderId)).containsExactly("return.received", "return.refunded");

        // the webhook again (Shopify retries): the same return, nothing moves
        Response again = postJson("/api/channels/marketplace/refunds?format=shopify", MARKETPLACE_KEY, refund);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body().get("returnId").asText()).isEqualTo(returnId);
        assertThat(jdbc.queryForObject("select count(*) from returns where order_id = ?", Integer.class, orderId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from payments where order_id = ? and kind = 'REFUND'", Integer.class,
                orderId)).isEqualTo(1);
        assertThat(available(mug)).isEqualTo(9);

        // the refunded units are returned already: the hub takes back only the last mug, and refunds only what the
        // channel left of the 30.00 paid (5.00), not the mug's 10.00
        Response tooMany = postJson("/api/orders/" + orderId + "/returns", MARKETPLACE_KEY, Map.of("lines",
                List.of(Map.of("lineNo", 1, "quantity", 2)), "resolution", "REFUND"));
        assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(422);
        assertThat(tooMany.body().at("/errors/0/field").asText()).isEqualTo("/lines/0/quantity");
        String last = postJson("/api/orders/" + orderId + "/returns", MARKETPLACE_KEY, Map.of("lines",
                List.of(Map.of("lineNo", 1, "quantity", 1)), "resolution", "REFUND")).body().get("returnId").asText();
        Response receipt = postJson("/api/returns/" + last + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "RESTOCK"))));
        assertThat(receipt.status()).as(receipt.toString()).isEqualTo(200);
        assertThat(receipt.body().get("status").asText()).isEqualTo("REFUNDED");
        assertThat(receipt.body().at("/refund/amount").decimalValue()).isEqualByComparingTo("5.00");
    }

    @Test
    void aWooCommerceRefundWithoutRestockIsMoneyOnlyAndBadRefundsAreRefused() throws IOException {
        String sku = product(10);
        String wooId = String.valueOf(ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999));
        ObjectNode order = orderFor(sku, 2, null, 0);
        order.put("externalId", wooId);
        order.putObject("payment").put("method", "prepaid").put("reference", "stripe:" + wooId);
        String orderId = shipped(WEBSHOP_KEY, order);

        ObjectNode refund = (ObjectNode) json.readTree(Path.of("mappings/refunds/tests/woocommerce-refund.json").toFile());
        refund.put("id", ThreadLocalRandom.current().nextInt(100_000, 999_999));
        ((ObjectNode) refund.at("/_links/up/0")).put("href", "https://shop.example/wp-json/wc/v3/orders/" + wooId);
        ((ObjectNode) refund.at("/meta_data/0")).put("value", "0");
        ObjectNode line = (ObjectNode) refund.at("/line_items/0");
        line.put("sku", sku).put("quantity", -1).put("total", "-10.00");
        refund.put("amount", "10.00");

        // who may send it, and in which format
        assertThat(postJson("/api/channels/webshop/refunds?format=woocommerce", MARKETPLACE_KEY, refund).status())
                .isEqualTo(403);
        Response wrongFormat = postJson("/api/channels/marketplace/refunds?format=woocommerce", MARKETPLACE_KEY, refund);
        assertThat(wrongFormat.status()).as(wrongFormat.toString()).isEqualTo(422);
        assertThat(wrongFormat.body().at("/errors/0/field").asText()).isEqualTo("format");
        Response notJson = postJson("/api/channels/webshop/refunds?format=woocommerce", WEBSHOP_KEY, "{\"id\": ");
        assertThat(notJson.status()).as(notJson.toString()).isEqualTo(400);
        ObjectNode noOrder = refund.deepCopy();
        ((ObjectNode) noOrder.at("/_links/up/0")).put("href", "https://shop.example/wp-json/wc/v3/orders/1");
        assertThat(postJson("/api/channels/webshop/refunds?format=woocommerce", WEBSHOP_KEY, noOrder).status())
                .isEqualTo(404);
        ObjectNode tooMany = refund.deepCopy();
        ((ObjectNode) tooMany.at("/line_items/0")).put("quantity", -3);
        Response over = postJson("/api/channels/webshop/refunds?format=woocommerce", WEBSHOP_KEY, tooMany);
        assertThat(over.status()).as(over.toString()).isEqualTo(422);
        assertThat(over.body().at("/errors/0/field").asText()).isEqualTo("/lines/0/quantity");
        assertThat(jdbc.queryForObject("select count(*) from returns where order_id = ?", Integer.class, orderId)).isZero();

        Response created = postJson("/api/channels/webshop/refunds?format=woocommerce", WEBSHOP_KEY, refund);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().get("status").asText()).isEqualTo("REFUNDED");
        assertThat(created.body().at("/lines/0/quantity").asInt()).isEqualTo(1);
        assertThat(created.body().at("/lines/0/received/restock").asInt()).isZero();
        assertThat(created.body().at("/lines/0/reason").asText()).isEqualTo("Damaged in transit");
        assertThat(available(sku)).isEqualTo(8);
        assertThat(jdbc.queryForObject("select count(*) from payments where order_id = ? and kind = 'REFUND' and gateway"
                + " = 'webshop' and status = 'SUCCEEDED'", Integer.class, orderId)).isEqualTo(1);
        assertThat(postJson("/api/channels/webshop/refunds?format=woocommerce", OPS_KEY, refund).status()).isEqualTo(200);
    }

    // ---- helpers

    /** The order submitted, paid (webshop's orders by hand in the tests), allocated and packed: SHIPPED. */
    private String shipped(String key, ObjectNode order) {
        Response r = postJson("/api/orders", key, order);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String orderId = r.body().get("orderId").asText();
        if (WEBSHOP_KEY.equals(key)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo("CONFIRMED"));
            orders.transition(orderId, OrderStatus.PAID, "order.paid", "test payment");
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo("ALLOCATED"));
        for (JsonNode s : get("/api/orders/" + orderId + "/shipments", OPS_KEY).body()) {
            Response packed = postJson("/api/shipments/" + s.get("shipmentId").asText() + "/packed", OPS_KEY, "");
            assertThat(packed.status()).as(packed.toString()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(status(orderId))
                .isIn("SHIPPED", "DELIVERED", "COMPLETED"));
        return orderId;
    }

    private ObjectNode orderFor(String sku1, int q1, String sku2, int q2) {
        ObjectNode order = order();
        var lines = order.putArray("lines");
        BigDecimal total = BigDecimal.ZERO;
        int n = 1;
        for (Object[] l : new Object[][] {{sku1, q1}, {sku2, q2}}) {
            if (l[0] == null || (int) l[1] == 0) {
                continue;
            }
            BigDecimal lineTotal = new BigDecimal("10.00").multiply(BigDecimal.valueOf((int) l[1]));
            lines.addObject().put("lineNo", n++).put("sku", (String) l[0]).put("quantity", (int) l[1])
                    .put("unitPrice", new BigDecimal("10.00")).put("lineTotal", lineTotal);
            total = total.add(lineTotal);
        }
        order.putObject("totals").put("subtotal", total).put("discount", 0).put("shipping", 0).put("tax", 0)
                .put("grandTotal", total);
        return order;
    }

    private String product(int onHand) {
        String sku = "CR-" + UUID.randomUUID().toString().replaceAll("[^a-f]", "").toUpperCase();
        assertThat(put("/api/products/" + sku, Map.of("description", "channel refund test " + sku, "unitPrice", 10,
                "currency", "EUR", "weightKg", 0.5))).isEqualTo(201);
        assertThat(put("/api/inventory/" + sku, Map.of("warehouse", "eu-central", "onHand", onHand))).isEqualTo(200);
        return sku;
    }

    private int put(String path, Object body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                    .header("X-API-Key", OPS_KEY).header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            return send(request, bytes).status();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int available(String sku) {
        return get("/api/inventory/" + sku, OPS_KEY).body().get("available").asInt();
    }

    private String status(String orderId) {
        return jdbc.queryForObject("select status from orders where order_id = ?", String.class, orderId);
    }
}
