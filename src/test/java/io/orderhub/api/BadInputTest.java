package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Every kind of bad input named by the spine issue: the answer names the problem, and the raw
 * document is kept as a REJECTED receipt.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadInputTest extends HubTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    io.orderhub.crypto.DataCipher cipher;

    @Test
    void malformedJsonIs400WithLineAndColumn() {
        Response r = post("/api/orders", WEBSHOP_KEY, "application/json", "{\n  \"externalId\": \"A-1\",\n  oops\n}".getBytes());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("body");
        assertThat(r.body().at("/errors/0/message").asText()).contains("line 3, column");
        assertRejectedReceipt(r, "body");
    }

    @Test
    void wrongContentTypeIs415() {
        Response r = post("/api/orders", WEBSHOP_KEY, "text/plain", order().toString().getBytes());
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("Content-Type");
        assertRejectedReceipt(r, "Content-Type");
    }

    @Test
    void formContentTypeIs415BeforeTheHttpLayerParsesIt() {
        Response r = post("/api/orders", WEBSHOP_KEY, "application/x-www-form-urlencoded", "a=b&c=d".getBytes());
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.body().get("detail").asText()).contains("application/x-www-form-urlencoded");
        assertRejectedReceipt(r, "Content-Type");
    }

    @Test
    void emptyBodyIs400() {
        Response r = post("/api/orders", WEBSHOP_KEY, "application/json", new byte[0]);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().at("/errors/0/message").asText()).contains("empty");
        assertRejectedReceipt(r, "body");
    }

    @Test
    void bodyOverTheLimitIs413AndItsStartIsKept() {
        byte[] big = new byte[1024 * 1024 + 10];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        Response r = post("/api/orders", WEBSHOP_KEY, "application/json", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body().at("/errors/0/message").asText()).contains("larger than the limit of 1048576 bytes");
        String receiptId = r.header("X-Receipt-Id");
        Map<String, Object> row = jdbc.queryForMap("select status, truncated, size_bytes from receipts where receipt_id = ?",
                receiptId);
        assertThat(row.get("status")).isEqualTo("REJECTED");
        assertThat(row.get("truncated")).isEqualTo(true);
        assertThat(((Number) row.get("size_bytes")).longValue()).isEqualTo(1024 * 1024);
    }

    @Test
    void missingKeyIs401AndTheDocumentIsKept() {
        Response r = postJson("/api/orders", null, order());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("X-API-Key");
        assertRejectedReceipt(r, "X-API-Key");
    }

    @Test
    void wrongKeyIs401() {
        Response r = postJson("/api/orders", "not-a-key-at-all", order());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().at("/errors/0/message").asText()).isEqualTo("is not a valid API key");
        assertThat(get("/api/orders", "nope").status()).isEqualTo(401);
        assertThat(get("/api/orders", null).status()).isEqualTo(401);
    }

    @Test
    void anotherChannelsKeyIs403OnSubmitAnd404OnRead() {
        ObjectNode order = order();
        order.put("channel", "b2b");
        Response submit = postJson("/api/orders", WEBSHOP_KEY, order);
        assertThat(submit.status()).isEqualTo(403);
        assertRejectedReceipt(submit, "/channel");

        Response channelPath = postJson("/api/channels/b2b/orders", WEBSHOP_KEY, order());
        assertThat(channelPath.status()).isEqualTo(403);

        String b2bOrder = postJson("/api/orders", B2B_KEY, order()).body().get("orderId").asText();
        assertThat(get("/api/orders/" + b2bOrder, WEBSHOP_KEY).status()).isEqualTo(404);
        assertThat(get("/api/orders/" + b2bOrder + "/events", WEBSHOP_KEY).status()).isEqualTo(404);
        assertThat(postJson("/api/orders/" + b2bOrder + "/cancel", WEBSHOP_KEY, "").status()).isEqualTo(404);
        assertThat(get("/api/orders/" + b2bOrder, B2B_KEY).status()).isEqualTo(200);
        JsonNode webshopList = get("/api/orders?channel=b2b", WEBSHOP_KEY).body();
        assertThat(webshopList.get("totalItems").asLong()).isZero();
    }

    @Test
    void unknownChannelIs404OnTheChannelEndpoint() {
        Response r = postJson("/api/channels/nowhere/orders", OPS_KEY, order());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("channel");
        assertThat(r.body().at("/errors/0/message").asText()).contains("'nowhere' is not configured");
        assertRejectedReceipt(r, "channel");
    }

    @Test
    void invalidFieldsAre422ListingEveryProblem() {
        ObjectNode order = order();
        order.put("currency", "XXY");
        order.put("orderDate", "yesterday");
        ((ObjectNode) order.get("shipTo")).put("country", "QQ");
        ((ObjectNode) order.get("shipTo")).remove("city");
        ObjectNode line = (ObjectNode) order.withArray("lines").get(0);
        line.put("quantity", 0);
        ((ObjectNode) order.withArray("lines").get(1)).put("lineNo", 1);
        order.withObject("/totals").put("grandTotal", 99.99);
        order.put("status", "PAID");
        order.put("orderId", "ORD-000000001");
        order.put("qty", 3);

        Response r = postJson("/api/orders", WEBSHOP_KEY, order);

        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).contains("/currency", "/orderDate", "/shipTo/country", "/shipTo/city",
                "/lines/0/quantity", "/lines/1/lineNo", "/totals/grandTotal", "/status", "/orderId", "/qty");
        assertThat(messageOf(r, "/lines/1/lineNo")).contains("repeats line number 1");
        assertThat(messageOf(r, "/status")).contains("assigned by the hub");
        assertRejectedReceipt(r, "/currency");
    }

    @Test
    void wrongTypesAndSumsAreNamed() {
        ObjectNode order = order();
        ((ObjectNode) order.withArray("lines").get(0)).put("quantity", "two");
        ((ObjectNode) order.withArray("lines").get(1)).put("lineTotal", 25.00);
        Response r = postJson("/api/orders", WEBSHOP_KEY, order);
        assertThat(r.status()).isEqualTo(422);
        assertThat(messageOf(r, "/lines/0/quantity")).isEqualTo("must be a number, not string");
        assertThat(messageOf(r, "/lines/1/lineTotal")).contains("quantity × unitPrice is 19.9");
        assertThat(messageOf(r, "/totals/subtotal")).contains("line totals add up to");
    }

    @Test
    void cardNumberAnywhereIs422AndTheNumberIsStoredAndLoggedNowhere(CapturedOutput output) {
        ObjectNode order = order();
        order.put("notes", "pay with 4111 1111 1111 1111 please");
        order.withObject("/customer").put("company", "5555555555554444");
        order.withObject("/payment").put("token", "4012888888881881");

        Response r = postJson("/api/orders", WEBSHOP_KEY, order);

        assertThat(r.status()).isEqualTo(422);
        assertThat(fields(r)).contains("/notes", "/customer/company", "/payment/token");
        String everything = r.text() + output.getAll() + dumpTables();
        for (String pan : List.of("4111 1111 1111 1111", "4111111111111111", "5555555555554444", "4012888888881881")) {
            assertThat(everything).doesNotContain(pan);
        }
        byte[] stored = cipher.open(jdbc.queryForObject("select body from receipts where receipt_id = ?", byte[].class,
                r.header("X-Receipt-Id")));
        assertThat(new String(stored, StandardCharsets.UTF_8)).contains("[card number removed]").contains("please");
    }

    @Test
    void productCodesThatPassLuhnAreNotMistakenForCards() {
        ObjectNode order = order();
        ((ObjectNode) order.withArray("lines").get(0)).put("sku", "4006381333931"); // an EAN-13
        ((ObjectNode) order.withArray("lines").get(1)).put("buyerSku", "40063813339310"); // GTIN-14
        assertThat(postJson("/api/orders", WEBSHOP_KEY, order).status()).isEqualTo(201);
    }

    @Test
    void deeplyNestedJsonIsRefused() {
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        Response r = post("/api/orders", WEBSHOP_KEY, "application/json", deep.getBytes());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().at("/errors/0/message").asText()).contains("nesting depth");
    }

    @Test
    void requestHeadersAreNotEchoed() {
        Response r = get("/api/orders?size=1", OPS_KEY);
        assertThat(r.raw().headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-API-Key"))
                .noneMatch(h -> h.equalsIgnoreCase("size"));
    }

    private void assertRejectedReceipt(Response r, String field) {
        String receiptId = r.header("X-Receipt-Id");
        assertThat(receiptId).as("receipt id of " + r).isNotNull();
        assertThat(r.body().get("receiptId").asText()).isEqualTo(receiptId);
        JsonNode receipt = get("/api/receipts/" + receiptId, OPS_KEY).body();
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.get("errors").findValuesAsText("field")).contains(field);
        assertThat(jdbc.queryForObject("select size_bytes from receipts where receipt_id = ?", Long.class, receiptId))
                .isEqualTo(r.raw().request().bodyPublisher().map(p -> p.contentLength()).orElse(0L));
    }

    private List<String> fields(Response r) {
        return r.body().get("errors").findValuesAsText("field");
    }

    private String messageOf(Response r, String field) {
        for (JsonNode e : r.body().get("errors")) {
            if (e.get("field").asText().equals(field)) {
                return e.get("message").asText();
            }
        }
        throw new AssertionError("no error for " + field + " in " + r);
    }

    private String dumpTables() {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("receipts", "orders", "order_lines", "order_events", "outbox")) {
            for (Map<String, Object> row : jdbc.queryForList("select * from " + table)) {
                for (Object v : row.values()) {
                    all.append(v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v)).append('\n');
                }
            }
        }
        return all.toString();
    }
}
