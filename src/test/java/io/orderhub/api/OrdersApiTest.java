package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/** The REST contract of DESIGN §6 for orders and receipts, driven over HTTP (routes/orders-api.camel.yaml). */
class OrdersApiTest extends HubTestSupport {

    @Test
    void createsAnOrderAndAnswers201WithLocation() {
        ObjectNode order = order();
        Response r = postJson("/api/orders", WEBSHOP_KEY, order);

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode body = r.body();
        String orderId = body.get("orderId").asText();
        assertThat(orderId).matches("ORD-\\d{9}");
        assertThat(r.header("Location")).isEqualTo("/api/orders/" + orderId);
        assertThat(body.get("status").asText()).isEqualTo("CREATED");
        assertThat(body.get("channel").asText()).isEqualTo("webshop");
        assertThat(body.at("/lines/0/uom").asText()).isEqualTo("EA");
        assertThat(body.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("51.19");
        assertThat(body.at("/source/receiptId").asText()).isEqualTo(r.header("X-Receipt-Id"));
        assertThat(body.at("/source/via").asText()).isEqualTo("rest");

        Response read = get("/api/orders/" + orderId, WEBSHOP_KEY);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(body);
        assertThat(jdbc.queryForObject("select count(*) from order_lines where order_id = ?", Integer.class, orderId))
                .isEqualTo(2);
    }

    @Test
    void keepsDiscountsChargesAndTheDocumentsPriceBasis() {
        ObjectNode order = order();
        ObjectNode line = (ObjectNode) order.withArray("lines").get(0);
        line.put("unitPrice", new java.math.BigDecimal("9.500005")).put("lineTotal", new java.math.BigDecimal("18.50"));
        line.putArray("discounts").addObject().put("amount", new java.math.BigDecimal("1.00")).put("reason", "95")
                .put("description", "Promotion");
        line.putArray("charges").addObject().put("amount", new java.math.BigDecimal("0.50")).put("reason", "ABL");
        line.putObject("source").put("price", new java.math.BigDecimal("950.0005")).put("basisQuantity", 100)
                .put("basisCode", "HP");
        order.putArray("charges").addObject().put("amount", new java.math.BigDecimal("4.90")).put("reason", "FC");
        order.putArray("discounts").addObject().put("amount", 2).put("reason", "95");
        ((ObjectNode) order.get("totals")).put("subtotal", new java.math.BigDecimal("38.40")).put("discount", 2)
                .put("grandTotal", new java.math.BigDecimal("48.69"));

        Response r = postJson("/api/orders", WEBSHOP_KEY, order);

        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String orderId = r.body().get("orderId").asText();
        JsonNode read = get("/api/orders/" + orderId, WEBSHOP_KEY).body();
        assertThat(read).isEqualTo(r.body());
        assertThat(read.at("/lines/0/discounts/0/amount").decimalValue()).isEqualByComparingTo("1.00");
        assertThat(read.at("/lines/0/charges/0/reason").asText()).isEqualTo("ABL");
        assertThat(read.at("/lines/0/source/basisCode").asText()).isEqualTo("HP");
        assertThat(read.at("/charges/0/reason").asText()).isEqualTo("FC");
        assertThat(read.at("/discounts/0/amount").decimalValue()).isEqualByComparingTo("2");
        assertThat(jdbc.queryForObject("select unit_price from order_lines where order_id = ? and line_no = 1",
                java.math.BigDecimal.class, orderId)).isEqualByComparingTo("9.500005");
    }

    @Test
    void resendOfTheSameExternalIdAnswers200WithTheStoredOrder() {
        ObjectNode order = order();
        Response first = postJson("/api/orders", WEBSHOP_KEY, order);
        order.put("notes", "changed in the resend");
        Response again = postJson("/api/orders", WEBSHOP_KEY, order);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("orderId")).isEqualTo(first.body().get("orderId"));
        assertThat(again.body().get("notes").asText()).isEqualTo("Please ring twice");
        assertThat(again.header("Location")).isNull();
        assertThat(count("orders where channel = 'webshop' and external_id = '" + order.get("externalId").asText() + "'"))
                .isEqualTo(1);
        JsonNode receipt = get("/api/receipts/" + again.header("X-Receipt-Id"), WEBSHOP_KEY).body();
        assertThat(receipt.get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(receipt.get("orderIds").get(0)).isEqualTo(first.body().get("orderId"));
    }

    @Test
    void theSameExternalIdInAnotherChannelIsAnotherOrder() {
        ObjectNode order = order();
        Response web = postJson("/api/orders", WEBSHOP_KEY, order);
        Response b2b = postJson("/api/orders", B2B_KEY, order);
        assertThat(web.status()).isEqualTo(201);
        assertThat(b2b.status()).isEqualTo(201);
        assertThat(b2b.body().get("orderId")).isNotEqualTo(web.body().get("orderId"));
    }

    @Test
    void opsSubmitsForANamedChannelAndMustNameOne() {
        ObjectNode order = order();
        Response missing = postJson("/api/orders", OPS_KEY, order);
        assertThat(missing.status()).isEqualTo(422);
        assertThat(fields(missing)).contains("/channel");

        order.put("channel", "nowhere");
        Response unknown = postJson("/api/orders", OPS_KEY, order);
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body().at("/errors/0/message").asText()).contains("'nowhere' is not configured");

        order.put("channel", "b2b");
        Response ok = postJson("/api/orders", OPS_KEY, order);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.body().get("channel").asText()).isEqualTo("b2b");
    }

    @Test
    void listsOrdersWithFiltersAndPaging() {
        ObjectNode order = order();
        String externalId = order.get("externalId").asText();
        String orderId = postJson("/api/orders", B2B_KEY, order).body().get("orderId").asText();

        JsonNode page = get("/api/orders?channel=b2b&externalId=" + externalId + "&status=created", OPS_KEY).body();
        assertThat(page.get("totalItems").asLong()).isEqualTo(1);
        assertThat(page.at("/items/0/orderId").asText()).isEqualTo(orderId);

        JsonNode small = get("/api/orders?size=1&page=0", OPS_KEY).body();
        assertThat(small.get("items")).hasSize(1);
        assertThat(small.get("size").asInt()).isEqualTo(1);

        JsonNode none = get("/api/orders?externalId=" + externalId + "&status=CANCELLED", OPS_KEY).body();
        assertThat(none.get("totalItems").asLong()).isZero();

        JsonNode future = get("/api/orders?externalId=" + externalId + "&from=2999-01-01", OPS_KEY).body();
        assertThat(future.get("items")).isEmpty();
    }

    @Test
    void badQueryParametersAreNamed() {
        Response r = get("/api/orders?status=LOST&size=0&from=yesterday&page=x", OPS_KEY);
        assertThat(r.status()).isEqualTo(400);
        assertThat(fields(r)).containsExactlyInAnyOrder("status", "size", "from", "page");
    }

    @Test
    void aBlankNumberIsAnErrorNotTheDefault() {
        // the contract says integer: page= and size= are not numbers, so they are named rather than read as absent
        Response r = get("/api/orders?page=&size=%20", OPS_KEY);
        assertThat(r.status()).isEqualTo(400);
        assertThat(fields(r)).containsExactlyInAnyOrder("page", "size");
        assertThat(get("/api/orders?status=&page=0", OPS_KEY).status()).isEqualTo(200);
    }

    @Test
    void sqlLikeFilterValuesAreJustValues() {
        Response r = get("/api/orders?channel=webshop'%20or%20'1'='1&externalId=x'%3B%20drop%20table%20orders%3B--", OPS_KEY);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("totalItems").asLong()).isZero();
        assertThat(count("orders")).isPositive();
    }

    @Test
    void timelineShowsCreationAndCancellation() {
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        Response cancelled = postJson("/api/orders/" + orderId + "/cancel", WEBSHOP_KEY, "{\"reason\":\"customer changed mind\"}");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asText()).isEqualTo("CANCELLED");

        JsonNode events = get("/api/orders/" + orderId + "/events", WEBSHOP_KEY).body();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("type").asText()).isEqualTo("order.created");
        assertThat(events.get(1).get("type").asText()).isEqualTo("order.cancelled");
        assertThat(events.get(1).get("fromStatus").asText()).isEqualTo("CREATED");
        assertThat(events.get(1).get("toStatus").asText()).isEqualTo("CANCELLED");
        assertThat(events.get(1).get("detail").asText()).isEqualTo("customer changed mind");
        assertThat(events.get(1).get("at").asText()).endsWith("Z");
    }

    @Test
    void cancellingTwiceAnswers409AndChangesNothing() {
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        assertThat(postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, "").status()).isEqualTo(200);
        int events = count("order_events where order_id = '" + orderId + "'");

        Response again = postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");
        assertThat(again.body().get("detail").asText()).contains("CANCELLED and cannot become CANCELLED");
        assertThat(count("order_events where order_id = '" + orderId + "'")).isEqualTo(events);
    }

    @Test
    void receiptShowsTheStoredDocument() {
        Response r = postJson("/api/orders", WEBSHOP_KEY, order());
        JsonNode receipt = get("/api/receipts/" + r.header("X-Receipt-Id"), WEBSHOP_KEY).body();
        assertThat(receipt.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.get("channel").asText()).isEqualTo("webshop");
        assertThat(receipt.get("via").asText()).isEqualTo("rest");
        assertThat(receipt.get("format").asText()).isEqualTo("canonical");
        assertThat(receipt.get("checksum").asText()).hasSize(64);
        assertThat(receipt.get("orderIds").get(0)).isEqualTo(r.body().get("orderId"));
        assertThat(receipt.get("contentType").asText()).isEqualTo("application/json");
        assertThat(get("/api/receipts/RCT-nope", OPS_KEY).status()).isEqualTo(404);
    }

    @Test
    void openApiDocumentDescribesTheRestApi() {
        Response r = get("/api/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.body();
        assertThat(doc.at("/info/title").asText()).isEqualTo("OrderHub API");
        assertThat(doc.get("paths").has("/orders")).isTrue();
        assertThat(doc.get("paths").has("/orders/{id}/events")).isTrue();
        assertThat(doc.get("paths").has("/receipts/{receiptId}")).isTrue();
    }

    @Test
    void channelEndpointTakesACanonicalDocument() {
        ObjectNode order = order();
        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/json",
                order.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().get("channel").asText()).isEqualTo("b2b");
        assertThat(r.body().at("/source/format").asText()).isEqualTo("canonical");
    }

    protected List<String> fields(Response r) {
        return r.body().get("errors").findValuesAsText("field");
    }

    protected int count(String fromWhere) {
        Integer n = jdbc.queryForObject("select count(*) from " + fromWhere, Integer.class);
        return n == null ? 0 : n;
    }
}
