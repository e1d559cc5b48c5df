package io.orderhub.returns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/webhooks/channels/{channel}}: Shopify's returns/* and refunds/create webhooks, signed with the
 * channel's webhookSecret (test: {@code ORDERHUB_MARKETPLACE_WEBHOOK_SECRET} of application-test.yaml), take a
 * Shopify return through the hub's lifecycle: request → REQUESTED (no label bought), approve → AUTHORIZED, the refund
 * naming the return → RECEIVED → REFUNDED (restocked, the refund recorded as the channel's), close → CLOSED; decline →
 * REJECTED. A missing or wrong signature is 401 and stores nothing; the same webhook id again changes nothing; a move
 * the lifecycle does not allow is 409 and is not recorded (Shopify's retry is taken again).
 */
class ChannelWebhooksTest extends ReturnTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    io.orderhub.order.OrderService orders;

    static final String SECRET = "test-marketplace-webhook-secret";
    static final String WEBSHOP_SECRET = "test-webshop-webhook-secret";

    @Test
    void aShopifyReturnGoesThroughTheLifecycleByItsSignedWebhooksOnce() throws IOException {
        String mug = product(10);
        String tee = product(10);
        String shopifyId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        ObjectNode order = orderFor(mug, 2, tee, 1);
        order.put("externalId", "#W" + UUID.randomUUID().toString().substring(0, 8));
        order.putObject("payment").put("method", "prepaid").put("reference", "shopify_payments:" + shopifyId);
        String orderId = shippedOrder(order);
        assertThat(available(mug)).isEqualTo(8);

        String shopifyReturn = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        ObjectNode request = (ObjectNode) json.readTree(Path.of("mappings/returns/tests/shopify-returns-request.json").toFile());
        request.put("id", Long.parseLong(shopifyReturn));
        ((ObjectNode) request.get("order")).put("id", Long.parseLong(shopifyId)).remove("name");
        ArrayNode items = (ArrayNode) request.get("return_line_items");
        ((ObjectNode) items.get(0).at("/fulfillment_line_item/line_item")).put("sku", mug);
        items.remove(1);
        byte[] body = json.writeValueAsBytes(request);

        // unsigned, signed with another secret, or signed over other bytes: 401, nothing stored
        String id1 = UUID.randomUUID().toString();
        assertThat(webhook("marketplace", "returns/request", id1, body, null).status()).isEqualTo(401);
        Response forged = webhook("marketplace", "returns/request", id1, body, ChannelWebhookSignature.sign(body, "guess"));
        assertThat(forged.status()).as(forged.toString()).isEqualTo(401);
        assertThat(forged.body().at("/errors/0/field").asText()).isEqualTo("X-Shopify-Hmac-Sha256");
        assertThat(webhook("marketplace", "returns/request", id1, body,
                ChannelWebhookSignature.sign("{}".getBytes(StandardCharsets.UTF_8), SECRET)).status()).isEqualTo(401);
        // the webshop's secret does not speak for the marketplace
        assertThat(webhook("marketplace", "returns/request", id1, body, ChannelWebhookSignature.sign(body, WEBSHOP_SECRET))
                .status()).isEqualTo(401);
        assertThat(returnsOf(orderId)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from channel_webhooks where webhook_id = ?", Integer.class, id1))
                .isZero();

        // signed: the return is REQUESTED, the line found by SKU, no label (Shopify sends the customer its own)
        Response requested = signed("returns/request", id1, body);
        assertThat(requested.status()).as(requested.toString()).isEqualTo(200);
        assertThat(requested.body().get("outcome").asText()).isEqualTo("return requested");
        String returnId = requested.body().get("returnId").asText();
        assertThat(requested.body().at("/return/status").asText()).isEqualTo("REQUESTED");
        assertThat(requested.body().at("/return/lines/0/sku").asText()).isEqualTo(mug);
        assertThat(requested.body().at("/return/lines/0/quantity").asInt()).isEqualTo(1);
        assertThat(requested.body().at("/return/lines/0/reason").asText()).isEqualTo("size too small: Too tight around the shoulders");
        assertThat(jdbc.queryForObject("select idempotency_key from returns where return_id = ?", String.class, returnId))
                .isEqualTo("shopify-return-" + shopifyReturn);
        assertThat(jdbc.queryForObject("select count(*) from return_labels where return_id = ?", Integer.class, returnId))
                .isZero();

        // the same delivery again (Shopify retries): answered, nothing changes
        Response replay = signed("returns/request", id1, body);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("outcome").asText()).startsWith("replay ignored");
        assertThat(returnsOf(orderId)).isOne();
        assertThat(events(returnId)).containsExactly("return.requested");

        // approved at Shopify
        request.put("status", "open");
        Response approved = signed("returns/approve", UUID.randomUUID().toString(), json.writeValueAsBytes(request));
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(returnStatus(returnId)).isEqualTo("AUTHORIZED");

        // closed before it was refunded: the lifecycle refuses it, and the delivery is not recorded
        String earlyClose = UUID.randomUUID().toString();
        Response refused = signed("returns/close", earlyClose, json.writeValueAsBytes(request));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.body().at("/errors/0/message").asText()).contains("AUTHORIZED", "CLOSED");
        assertThat(returnStatus(returnId)).isEqualTo("AUTHORIZED");
        assertThat(jdbc.queryForObject("select count(*) from channel_webhooks where webhook_id = ?", Integer.class,
                earlyClose)).isZero();

        // Shopify refunds the return: its units come back, the refund is the channel's, the return REFUNDED
        ObjectNode refund = (ObjectNode) json.readTree(Path.of("mappings/refunds/tests/shopify-refunds-create-of-return.json")
                .toFile());
        String refundId = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        refund.put("id", Long.parseLong(refundId));
        refund.put("order_id", Long.parseLong(shopifyId));
        ((ObjectNode) refund.get("return")).put("id", Long.parseLong(shopifyReturn));
        ArrayNode refunded = (ArrayNode) refund.get("refund_line_items");
        ((ObjectNode) refunded.get(0).get("line_item")).put("sku", mug);
        refunded.remove(1);
        ((ObjectNode) refund.get("transactions").get(0)).put("amount", "10.00");
        Response paid = signed("refunds/create", UUID.randomUUID().toString(), json.writeValueAsBytes(refund));
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        assertThat(paid.body().get("returnId").asText()).isEqualTo(returnId);
        assertThat(paid.body().at("/return/status").asText()).isEqualTo("REFUNDED");
        assertThat(paid.body().at("/return/refund/amount").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(available(mug)).isEqualTo(9);
        List<Map<String, Object>> refunds = jdbc.queryForList("select gateway, status, amount, refund_id from payments"
                + " where order_id = ? and kind = 'REFUND'", orderId);
        assertThat(refunds).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("gateway", "marketplace").containsEntry("status", "SUCCEEDED")
                    .containsEntry("refund_id", refundId);
            assertThat((BigDecimal) r.get("amount")).isEqualByComparingTo("10.00");
        });
        assertThat(returnsOf(orderId)).as("the refund settled the Shopify return, no second return").isOne();

        // now Shopify's close is taken
        Response closed = signed("returns/close", earlyClose, json.writeValueAsBytes(request));
        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
        assertThat(returnStatus(returnId)).isEqualTo("CLOSED");
        assertThat(events(returnId)).containsExactly("return.requested", "return.authorized", "return.received",
                "return.refunded", "return.closed");
        assertThat(jdbc.queryForList("select type from outbox where order_id = ? and type like 'return.%' order by id",
                String.class, orderId)).containsExactly("return.requested", "return.authorized", "return.received",
                "return.refunded", "return.closed");

        // a second Shopify return of the tee, declined
        String second = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        request.put("id", Long.parseLong(second));
        ((ObjectNode) items.get(0).at("/fulfillment_line_item/line_item")).put("sku", tee);
        assertThat(signed("returns/request", UUID.randomUUID().toString(), json.writeValueAsBytes(request)).status())
                .isEqualTo(200);
        ObjectNode decline = (ObjectNode) json.readTree(Path.of("mappings/returns/tests/shopify-returns-decline.json").toFile());
        decline.put("id", Long.parseLong(second));
        ((ObjectNode) decline.get("order")).put("id", Long.parseLong(shopifyId));
        Response declined = signed("returns/decline", UUID.randomUUID().toString(), json.writeValueAsBytes(decline));
        assertThat(declined.status()).as(declined.toString()).isEqualTo(200);
        assertThat(declined.body().at("/return/status").asText()).isEqualTo("REJECTED");
        String declinedId = declined.body().get("returnId").asText();
        assertThat(jdbc.queryForObject("select detail from return_events where return_id = ? and type = 'return.rejected'",
                String.class, declinedId)).contains("final sale: Sale items are not returnable");

        // a topic the hub does not take is acknowledged (Shopify would retry another answer) and recorded
        Response other = signed("orders/updated", UUID.randomUUID().toString(), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body().get("outcome").asText()).startsWith("ignored");
    }

    @Test
    void aSignedWooCommerceRefundIsTakenAndAReturnOfAnUnknownOrderIsRefused() throws IOException {
        String sku = product(10);
        String wooId = String.valueOf(ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999));
        ObjectNode order = orderFor(sku, 2, null, 0);
        order.put("externalId", wooId);
        order.putObject("payment").put("method", "prepaid").put("reference", "stripe:" + wooId);
        String orderId = shippedOrder(order);
        // the order is the marketplace's (ReturnTestSupport): the webshop's signed refund does not find it
        ObjectNode refund = (ObjectNode) json.readTree(Path.of("mappings/refunds/tests/woocommerce-refund.json").toFile());
        refund.put("id", ThreadLocalRandom.current().nextInt(100_000, 999_999));
        refund.put("parent_id", Long.parseLong(wooId));
        for (var item : refund.get("line_items")) {
            ((ObjectNode) item).put("sku", sku);
        }
        byte[] body = json.writeValueAsBytes(refund);
        Response notHers = send(request("webshop", body).header("X-WC-Webhook-Topic", "order.refunded")
                .header("X-WC-Webhook-Delivery-ID", UUID.randomUUID().toString())
                .header("X-WC-Webhook-Signature", ChannelWebhookSignature.sign(body, WEBSHOP_SECRET))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), body);
        assertThat(notHers.status()).as(notHers.toString()).isEqualTo(404);
        assertThat(returnsOf(orderId)).isZero();
        // the marketplace's secret signs a WooCommerce delivery, but the marketplace may not send that format
        Response format = send(request("marketplace", body).header("X-WC-Webhook-Topic", "order.refunded")
                .header("X-WC-Webhook-Delivery-ID", UUID.randomUUID().toString())
                .header("X-WC-Webhook-Signature", ChannelWebhookSignature.sign(body, SECRET))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), body);
        assertThat(format.status()).as(format.toString()).isEqualTo(422);
        // an unknown channel is as unsigned: 401
        assertThat(send(request("nosuchchannel", body).header("X-Shopify-Topic", "refunds/create")
                .header("X-Shopify-Webhook-Id", "x").header("X-Shopify-Hmac-Sha256", ChannelWebhookSignature.sign(body, SECRET))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), body).status()).isEqualTo(401);

        // the webshop's own order (paid by hand in the tests), refunded at the shop: the signed delivery is the refund
        String webshopWooId = String.valueOf(ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999));
        ObjectNode webshopOrder = orderFor(sku, 2, null, 0);
        webshopOrder.put("externalId", webshopWooId);
        webshopOrder.putObject("payment").put("method", "prepaid").put("reference", "stripe:" + webshopWooId);
        String webshopOrderId = submit(WEBSHOP_KEY, webshopOrder);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(status(webshopOrderId)).isEqualTo("CONFIRMED"));
        orders.transition(webshopOrderId, io.orderhub.order.OrderStatus.PAID, "order.paid", "test payment");
        shipped(webshopOrderId);
        refund.put("parent_id", Long.parseLong(webshopWooId));
        refund.put("amount", "10.00");
        byte[] paid = json.writeValueAsBytes(refund);
        String delivery = UUID.randomUUID().toString();
        java.util.function.Supplier<Response> deliver = () -> send(request("webshop", paid)
                .header("X-WC-Webhook-Topic", "order.refunded").header("X-WC-Webhook-Delivery-ID", delivery)
                .header("X-WC-Webhook-Signature", ChannelWebhookSignature.sign(paid, WEBSHOP_SECRET))
                .POST(HttpRequest.BodyPublishers.ofByteArray(paid)).build(), paid);
        Response taken = deliver.get();
        assertThat(taken.status()).as(taken.toString()).isEqualTo(200);
        assertThat(taken.body().get("outcome").asText()).isEqualTo("refund recorded");
        assertThat(taken.body().at("/return/status").asText()).isEqualTo("REFUNDED");
        assertThat(jdbc.queryForObject("select count(*) from payments where order_id = ? and kind = 'REFUND' and gateway"
                + " = 'webshop' and status = 'SUCCEEDED'", Integer.class, webshopOrderId)).isEqualTo(1);
        Response again = deliver.get();
        assertThat(again.body().get("outcome").asText()).startsWith("replay ignored");
        assertThat(returnsOf(webshopOrderId)).isOne();
        assertThat(jdbc.queryForObject("select platform from channel_webhooks where channel = 'webshop' and webhook_id = ?",
                String.class, delivery)).isEqualTo("woocommerce");
    }

    @Test
    void aReturnLineNamedByItsShopifyLineItemIdOnlyIsFoundInTheOrdersShopifyDocument() throws IOException {
        String mug = product(10);
        String tee = product(10);
        long shopifyId = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        ObjectNode document = (ObjectNode) json.readTree(Path.of("examples/order-shopify.json").toFile());
        ObjectNode o = (ObjectNode) document.get("order");
        o.put("id", shopifyId).put("name", "#LI-" + shopifyId).put("order_number", shopifyId).put("taxes_included", false)
                .put("total_line_items_price", "30.00").put("total_discounts", "0.00").put("subtotal_price", "30.00")
                .put("total_tax", "0.00").put("total_price", "30.00");
        o.remove("shipping_lines");
        ArrayNode lineItems = o.putArray("line_items");
        lineItems.addObject().put("id", 4401).put("sku", mug).put("name", "Mug").put("quantity", 2).put("price", "10.00");
        lineItems.addObject().put("id", 4402).put("sku", tee).put("name", "Tee").put("quantity", 1).put("price", "10.00");
        byte[] bytes = json.writeValueAsBytes(document);
        Response submitted = post("/api/channels/marketplace/orders", MARKETPLACE_KEY, "application/json", bytes);
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
        String orderId = submitted.body().get("orderId").asText();
        shipped(orderId);

        // the webhook names the tee by its line item id only, as Shopify sends it
        ObjectNode request = (ObjectNode) json.readTree(Path.of("mappings/returns/tests/shopify-returns-request.json").toFile());
        request.put("id", ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        ((ObjectNode) request.get("order")).put("id", shopifyId).put("name", "#LI-" + shopifyId);
        ArrayNode items = (ArrayNode) request.get("return_line_items");
        items.remove(0);
        ((ObjectNode) items.get(0).get("fulfillment_line_item")).putObject("line_item").put("id", 4402);
        ((ObjectNode) items.get(0)).put("quantity", 1);
        Response requested = signed("returns/request", UUID.randomUUID().toString(), json.writeValueAsBytes(request));
        assertThat(requested.status()).as(requested.toString()).isEqualTo(200);
        assertThat(requested.body().at("/return/lines/0/sku").asText()).isEqualTo(tee);
        assertThat(requested.body().at("/return/lines/0/lineNo").asInt()).isEqualTo(2);

        // a line item the order's document does not have is refused, naming the line
        request.put("id", ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        ((ObjectNode) items.get(0).at("/fulfillment_line_item/line_item")).put("id", 4499);
        Response unknown = signed("returns/request", UUID.randomUUID().toString(), json.writeValueAsBytes(request));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
        assertThat(unknown.body().at("/errors/0/field").asText()).isEqualTo("/lines/0/sku");
        assertThat(unknown.body().at("/errors/0/message").asText()).contains("4499");
        assertThat(returnsOf(orderId)).isOne();
    }

    // ---- helpers

    private void shipped(String orderId) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(status(orderId)).isEqualTo("ALLOCATED"));
        for (var s : get("/api/orders/" + orderId + "/shipments", OPS_KEY).body()) {
            Response packed = postJson("/api/shipments/" + s.get("shipmentId").asText() + "/packed", OPS_KEY, "");
            assertThat(packed.status()).as(packed.toString()).isEqualTo(200);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(status(orderId)).isIn("SHIPPED", "DELIVERED", "COMPLETED"));
    }

    private Response signed(String topic, String webhookId, byte[] body) {
        return webhook("marketplace", topic, webhookId, body, ChannelWebhookSignature.sign(body, SECRET));
    }

    private Response webhook(String channel, String topic, String webhookId, byte[] body, String signature) {
        HttpRequest.Builder b = request(channel, body).header("X-Shopify-Topic", topic)
                .header("X-Shopify-Webhook-Id", webhookId).header("X-Shopify-Shop-Domain", "demo-market.myshopify.com");
        if (signature != null) {
            b.header("X-Shopify-Hmac-Sha256", signature);
        }
        return send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), body);
    }

    private HttpRequest.Builder request(String channel, byte[] body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/webhooks/channels/" + channel))
                .header("Content-Type", "application/json");
    }

    private int returnsOf(String orderId) {
        return jdbc.queryForObject("select count(*) from returns where order_id = ?", Integer.class, orderId);
    }

    private List<String> events(String returnId) {
        return jdbc.queryForList("select type from return_events where return_id = ? order by id", String.class, returnId);
    }
}
