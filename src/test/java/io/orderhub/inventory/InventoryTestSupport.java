package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;

/** Helpers for inventory tests: unique products with stock, orders for them, waiting for a status. */
public abstract class InventoryTestSupport extends HubTestSupport {

    protected Response put(String path, String key, Object body) {
        try {
            byte[] bytes = body instanceof String s ? s.getBytes() : json.writeValueAsBytes(body);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("X-API-Key", key).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            return send(request, bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new product with a unique SKU and the given on-hand counts in eu-central and us-east. */
    protected String product(int euCentral, int usEast) {
        String sku = "T-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase();
        Response created = put("/api/products/" + sku, OPS_KEY, Map.of("description", "test item " + sku,
                "unitPrice", 10, "currency", "EUR", "weightKg", 0.5));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        setOnHand(sku, "eu-central", euCentral);
        setOnHand(sku, "us-east", usEast);
        return sku;
    }

    protected Response setOnHand(String sku, String warehouse, int onHand) {
        Response r = put("/api/inventory/" + sku, OPS_KEY, Map.of("warehouse", warehouse, "onHand", onHand));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    /** The example order with its lines replaced by {@code sku, quantity} pairs, shipped to {@code country}. */
    protected ObjectNode orderFor(String country, Object... skuAndQuantity) {
        ObjectNode order = order();
        // letters only: a random UUID's digit runs can pass the Luhn check and be refused as a card number
        order.put("externalId", "INV-" + letters(24));
        ((ObjectNode) order.get("shipTo")).put("country", country);
        ArrayNode lines = order.putArray("lines");
        java.math.BigDecimal subtotal = java.math.BigDecimal.ZERO;
        for (int i = 0; i < skuAndQuantity.length; i += 2) {
            int q = (Integer) skuAndQuantity[i + 1];
            java.math.BigDecimal total = new java.math.BigDecimal("10.00").multiply(java.math.BigDecimal.valueOf(q));
            lines.addObject().put("lineNo", i / 2 + 1).put("sku", (String) skuAndQuantity[i]).put("quantity", q)
                    .put("unitPrice", new java.math.BigDecimal("10.00")).put("lineTotal", total);
            subtotal = subtotal.add(total);
        }
        order.putObject("totals").put("subtotal", subtotal).put("discount", 0).put("shipping", 0).put("tax", 0)
                .put("grandTotal", subtotal);
        return order;
    }

    private static String letters(int n) {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }

    protected String submit(String key, ObjectNode order) {
        Response r = postJson("/api/orders", key, order);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("orderId").asText();
    }

    protected String status(String orderId) {
        return jdbc.queryForObject("select status from orders where order_id = ?", String.class, orderId);
    }

    protected void awaitStatus(String orderId, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo(status));
    }

    protected com.fasterxml.jackson.databind.JsonNode inventory(String sku) {
        Response r = get("/api/inventory/" + sku, OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    protected com.fasterxml.jackson.databind.JsonNode warehouse(String sku, String warehouse) {
        for (com.fasterxml.jackson.databind.JsonNode w : inventory(sku).get("warehouses")) {
            if (w.get("warehouse").asText().equals(warehouse)) {
                return w;
            }
        }
        throw new AssertionError("no " + warehouse + " row for " + sku);
    }

    /** The ledger's deltas per warehouse equal the stock rows; no level is negative or oversold. */
    protected void assertLedgerMatchesStock(String sku) {
        for (Map<String, Object> row : jdbc.queryForList("""
                select s.warehouse_id, s.on_hand, s.reserved, s.allocated,
                       coalesce(sum(l.on_hand_delta), 0) as l_on_hand, coalesce(sum(l.reserved_delta), 0) as l_reserved,
                       coalesce(sum(l.allocated_delta), 0) as l_allocated
                from stock s left join stock_ledger l on l.sku = s.sku and l.warehouse_id = s.warehouse_id
                where s.sku = ? group by s.warehouse_id, s.on_hand, s.reserved, s.allocated
                """, sku)) {
            assertThat(((Number) row.get("l_on_hand")).intValue()).as("on hand of " + row).isEqualTo(row.get("on_hand"));
            assertThat(((Number) row.get("l_reserved")).intValue()).as("reserved of " + row).isEqualTo(row.get("reserved"));
            assertThat(((Number) row.get("l_allocated")).intValue()).as("allocated of " + row).isEqualTo(row.get("allocated"));
            assertThat((Integer) row.get("reserved") + (Integer) row.get("allocated")).isLessThanOrEqualTo((Integer) row.get("on_hand"));
        }
        Integer held = jdbc.queryForObject("select coalesce(sum(quantity), 0) from reservations where sku = ?", Integer.class, sku);
        Integer reserved = jdbc.queryForObject("select coalesce(sum(reserved), 0) from stock where sku = ?", Integer.class, sku);
        assertThat(held).as("reservations of " + sku + " match the reserved counts").isEqualTo(reserved);
    }
}
