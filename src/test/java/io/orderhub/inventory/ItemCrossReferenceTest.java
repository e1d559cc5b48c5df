package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 8: item numbers as partners write them (spaces inside), and the per-channel cross-reference
 * from partners' numbers and GTINs to our SKUs, kept through the API and the ERP catalogue feed, applied at
 * intake with both numbers kept on the line (routes/item-xref-api.camel.yaml).
 */
class ItemCrossReferenceTest extends HubTestSupport {

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static String path(String sku) {
        return URLEncoder.encode(sku, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void productsMayHaveTheNumbersPartnersWrite() {
        String sku = "98891 75-" + unique();
        Response created = put("/api/products/" + path(sku), Map.of("description", "Schraubendreher", "unitPrice", 12.5,
                "currency", "EUR", "weightKg", 0.4));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(get("/api/inventory/" + path(sku), OPS_KEY).body().get("sku").asText()).isEqualTo(sku);

        for (String bad : new String[] {" leading", "trailing ", "tab\there", "zero\u200bwidth", "x".repeat(101)}) {
            Response refused = put("/api/products/" + path(bad), Map.of("description", "x"));
            assertThat(refused.status()).as(bad + " " + refused).isEqualTo(422);
            assertThat(refused.body().at("/errors/0/field").asText()).isEqualTo("sku");
            assertThat(refused.body().at("/errors/0/message").asText()).contains("without control or invisible characters");
        }
    }

    @Test
    void aPartnersGtinBecomesOurSkuAtIntakeAndTheLineKeepsBoth() throws IOException {
        String id = unique();
        String ours = "SCREW SET " + id;
        String gtin = "40" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 100_000_000_000L);
        assertThat(put("/api/products/" + path(ours), Map.of("description", "Screw set", "unitPrice", 30,
                "currency", "EUR", "weightKg", 1)).status()).isEqualTo(201);
        Response stored = putXref("b2b", Map.of("partnerItem", gtin, "sku", ours, "kind", "GTIN"));
        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        assertThat(putXref("b2b", Map.of("partnerItem", gtin, "sku", ours, "kind", "gtin")).status()).isEqualTo(200);

        byte[] edifact = Files.readString(Path.of("mappings/tests/edifact-orders/own-buyer-gln-only.edi"), StandardCharsets.ISO_8859_1)
                .replace("PO-GLN-1", "PO-" + id).replace("4000862141411", gtin).getBytes(StandardCharsets.ISO_8859_1);
        Response submitted = post("/api/channels/b2b/orders", B2B_KEY, "application/edifact", edifact);
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);

        JsonNode order = get("/api/orders/" + submitted.body().get("orderId").asText(), B2B_KEY).body();
        assertThat(order.at("/lines/0/sku").asText()).isEqualTo("98891 75");
        assertThat(order.at("/lines/0/partnerSku").isMissingNode()).isTrue();
        assertThat(order.at("/lines/1/sku").asText()).isEqualTo(ours);
        assertThat(order.at("/lines/1/partnerSku").asText()).isEqualTo(gtin);
        assertThat(order.at("/customer/externalId").asText()).isEqualTo("4012345000009");
        assertThat(order.at("/provenance/~1customer~1name").asText()).contains("contact name");

        // another channel's cross-reference is not applied
        Response webshop = post("/api/mappings/preview?channel=webshop", OPS_KEY, "application/edifact", edifact);
        assertThat(webshop.body().at("/orders/0/order/lines/1/sku").asText()).isEqualTo(gtin);
    }

    @Test
    void operatorsAndTheErpKeepTheCrossReference() {
        String id = unique();
        String ours = "MUG " + id;
        String buyerNumber = "ART-" + id;
        Response erp = postJson("/api/erp/catalogue", OPS_KEY, Map.of("products", java.util.List.of(Map.of(
                "sku", ours, "description", "Mug", "unitPrice", 9.5, "currency", "EUR", "weightKg", 0.35,
                "crossReferences", java.util.List.of(Map.of("channel", "b2b", "partnerItem", buyerNumber, "kind", "BUYER"))))));
        assertThat(erp.status()).as(erp.toString()).isEqualTo(200);

        JsonNode list = get("/api/item-xref/b2b", OPS_KEY).body();
        assertThat(list.findValues("partnerItem").stream().map(JsonNode::asText)).contains(buyerNumber);
        JsonNode entry = null;
        for (JsonNode e : list) {
            if (e.get("partnerItem").asText().equals(buyerNumber)) {
                entry = e;
            }
        }
        assertThat(entry.get("sku").asText()).isEqualTo(ours);
        assertThat(entry.get("kind").asText()).isEqualTo("BUYER");
        assertThat(entry.get("source").asText()).isEqualTo("erp");

        Response badErp = postJson("/api/erp/catalogue", OPS_KEY, Map.of("products", java.util.List.of(Map.of(
                "sku", ours, "crossReferences", java.util.List.of(Map.of("channel", "no-such-channel", "partnerItem", "X"))))));
        assertThat(badErp.status()).as(badErp.toString()).isEqualTo(422);
        assertThat(badErp.body().at("/errors/0/field").asText()).startsWith("/products/0/crossReferences/0");

        assertThat(get("/api/item-xref/b2b", WEBSHOP_KEY).status()).isEqualTo(403);
        Response bad = putXref("b2b", Map.of("partnerItem", "tab\tx", "kind", "OTHER"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("/partnerItem", "/sku", "/kind");

        String delete = "/api/item-xref/b2b?partnerItem=" + URLEncoder.encode(buyerNumber, StandardCharsets.UTF_8);
        assertThat(send("DELETE", delete).status()).isEqualTo(200);
        assertThat(send("DELETE", delete).status()).isEqualTo(404);
    }

    private Response put(String path, Map<String, ?> body) {
        return send("PUT", path, body);
    }

    private Response putXref(String channel, Map<String, ?> body) {
        return send("PUT", "/api/item-xref/" + channel, body);
    }

    private Response send(String method, String path) {
        return send(method, path, null);
    }

    private Response send(String method, String path, Map<String, ?> body) {
        try {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + port + path))
                    .header("X-API-Key", OPS_KEY).header("Content-Type", "application/json");
            byte[] bytes = body == null ? null : json.writeValueAsBytes(body);
            request.method(method, bytes == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes));
            return send(request.build(), bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
