package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: money has one form in every answer. The mapping preview answered a mapping's arithmetic as it came
 * ({@code 85}) while a canonical order sent as {@code 85.00} was answered {@code 85.00}; now both the preview and the
 * stored order show every amount with at least its currency's decimals, through the same step.
 */
class MoneyFormApiTest extends HubTestSupport {

    @Test
    void thePreviewShowsMoneyExactlyAsTheStoredOrder() throws IOException {
        String po = "PO" + UUID.randomUUID().toString().substring(0, 8);
        byte[] cxml = Files.readString(Path.of("examples", "order-cxml.xml"), StandardCharsets.UTF_8)
                .replace("DO1234", po).getBytes(StandardCharsets.UTF_8);

        Response preview = post("/api/mappings/preview?channel=b2b", OPS_KEY, "text/xml", cxml);
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        JsonNode previewed = preview.body().at("/orders/0/order");
        assertThat(text(previewed, "/totals/subtotal")).isEqualTo("85.00");
        assertThat(text(previewed, "/totals/grandTotal")).isEqualTo("85.00");
        assertThat(text(previewed, "/totals/tax")).isEqualTo("0.00");
        assertThat(text(previewed, "/lines/0/unitPrice")).isEqualTo("2.10");
        assertThat(text(previewed, "/lines/0/lineTotal")).isEqualTo("21.00");

        Response submitted = post("/api/channels/b2b/orders", B2B_KEY, "text/xml", cxml);
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
        Response stored = get("/api/orders/" + submitted.body().get("orderId").asText(), OPS_KEY);
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        // the same text, amount for amount
        assertThat(sorted(stored.body().get("totals"))).isEqualTo(sorted(previewed.get("totals")));
        assertThat(sorted(stored.body().get("lines"))).isEqualTo(sorted(previewed.get("lines")));
        assertThat(sorted(submitted.body().get("totals"))).isEqualTo(sorted(previewed.get("totals")));
    }

    @Test
    void aCanonicalOrderIsAnsweredInItsCurrencysForm() {
        ObjectNode order = order();
        order.withObject("/totals").put("discount", 0);
        Response created = postJson("/api/orders", WEBSHOP_KEY, order);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        JsonNode stored = get("/api/orders/" + created.body().get("orderId").asText(), WEBSHOP_KEY).body();
        assertThat(text(stored, "/totals/discount")).isEqualTo("0.00");
        assertThat(text(stored, "/lines/0/unitPrice")).isEqualTo("9.50");
        assertThat(text(stored, "/lines/0/quantity")).isEqualTo("2");

        order.put("externalId", order.get("externalId").asText() + "x");
        Response preview = post("/api/mappings/preview?channel=webshop", OPS_KEY, "application/json",
                order.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(sorted(preview.body().at("/orders/0/order/totals"))).isEqualTo(sorted(stored.get("totals")));
    }

    /** The JSON text of a value with object members in name order (numbers as the answer wrote them). */
    private static String sorted(JsonNode node) {
        if (node.isObject()) {
            java.util.TreeMap<String, String> members = new java.util.TreeMap<>();
            node.fields().forEachRemaining(e -> members.put(e.getKey(), sorted(e.getValue())));
            return members.toString();
        }
        if (node.isArray()) {
            java.util.List<String> elements = new java.util.ArrayList<>();
            node.forEach(e -> elements.add(sorted(e)));
            return elements.toString();
        }
        return node.toString();
    }

    /** The amount as the answer's JSON text writes it (85 and 85.00 are different texts). */
    private static String text(JsonNode node, String pointer) {
        return node.at(pointer).toString();
    }
}
