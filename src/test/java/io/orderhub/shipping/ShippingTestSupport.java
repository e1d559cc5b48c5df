package io.orderhub.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.support.HubTestSupport;
import org.springframework.beans.factory.annotation.Autowired;

/** Orders driven to ALLOCATED (payment stood in for by a transition), packing, waiting, timelines. */
public abstract class ShippingTestSupport extends HubTestSupport {

    @Autowired
    protected OrderService orders;
    @Autowired
    protected ShippingService shipping;

    protected Response put(String path, String key, Object body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("X-API-Key", key).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            return send(request, bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new product (0.5 kg) with the given stock in eu-central and us-east. */
    protected String product(int euCentral, int usEast) {
        String sku = "S-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase();
        assertThat(put("/api/products/" + sku, OPS_KEY, Map.of("description", "ship item " + sku, "unitPrice", 10,
                "currency", "EUR", "weightKg", 0.5)).status()).isEqualTo(201);
        assertThat(put("/api/inventory/" + sku, OPS_KEY, Map.of("warehouse", "eu-central", "onHand", euCentral)).status()).isEqualTo(200);
        assertThat(put("/api/inventory/" + sku, OPS_KEY, Map.of("warehouse", "us-east", "onHand", usEast)).status()).isEqualTo(200);
        return sku;
    }

    /** An order for {@code quantity} of {@code sku}, to Germany, with the given shippingMethod and postal code. */
    protected ObjectNode orderFor(String sku, int quantity, String shippingMethod, String postalCode) {
        ObjectNode order = order();
        ((ObjectNode) order.get("shipTo")).put("country", "DE").put("postalCode", postalCode);
        if (shippingMethod == null) {
            order.remove("shippingMethod");
        } else {
            order.put("shippingMethod", shippingMethod);
        }
        ArrayNode lines = order.putArray("lines");
        BigDecimal total = new BigDecimal("10.00").multiply(BigDecimal.valueOf(quantity));
        lines.addObject().put("lineNo", 1).put("sku", sku).put("quantity", quantity)
                .put("unitPrice", new BigDecimal("10.00")).put("lineTotal", total);
        order.putObject("totals").put("subtotal", total).put("discount", 0).put("shipping", 0).put("tax", 0)
                .put("grandTotal", total);
        return order;
    }

    /** Submits, waits for CONFIRMED, stands in for payment, waits for ALLOCATED; returns the order id. */
    protected String allocated(ObjectNode order) {
        Response r = postJson("/api/orders", WEBSHOP_KEY, order);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String orderId = r.body().get("orderId").asText();
        awaitStatus(orderId, "CONFIRMED");
        orders.transition(orderId, OrderStatus.PAID, "order.paid", "test payment");
        awaitStatus(orderId, "ALLOCATED");
        return orderId;
    }

    protected JsonNode shipments(String orderId) {
        Response r = get("/api/orders/" + orderId + "/shipments", OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    protected List<String> shipmentIds(String orderId) {
        List<String> ids = new ArrayList<>();
        shipments(orderId).forEach(s -> ids.add(s.get("shipmentId").asText()));
        return ids;
    }

    protected String shipmentIn(String orderId, String warehouse) {
        for (JsonNode s : shipments(orderId)) {
            if (s.get("warehouse").asText().equals(warehouse)) {
                return s.get("shipmentId").asText();
            }
        }
        throw new AssertionError("no shipment from " + warehouse + " in " + orderId);
    }

    protected void pack(String shipmentId) {
        Response r = postJson("/api/shipments/" + shipmentId + "/packed", OPS_KEY, "");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    protected String status(String orderId) {
        return jdbc.queryForObject("select status from orders where order_id = ?", String.class, orderId);
    }

    protected void awaitStatus(String orderId, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo(status));
    }

    protected ShippingService.Parcel awaitParcel(String shipmentId, String state) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(shipping.parcel(shipmentId))
                .hasValueSatisfying(p -> assertThat(p.state()).isEqualTo(state)));
        return shipping.parcel(shipmentId).orElseThrow();
    }

    /** The timeline's event types, in order. */
    protected List<String> timeline(String orderId) {
        List<String> types = new ArrayList<>();
        get("/api/orders/" + orderId + "/events", OPS_KEY).body().forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    protected JsonNode timelineEvent(String orderId, String type) {
        for (JsonNode e : get("/api/orders/" + orderId + "/events", OPS_KEY).body()) {
            if (e.get("type").asText().equals(type)) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " in the timeline of " + orderId);
    }
}
