package io.orderhub.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the returns tests in the running hub share: the Stripe sandbox behind the suite's WireMock server, an order
 * of the marketplace channel taken to SHIPPED, products with stock, and the REST calls of the returns API.
 */
abstract class ReturnTestSupport extends HubTestSupport {

    static final String MARKETPLACE_KEY = "test-marketplace-secret";
    private static final UUID PROXY_STUB = UUID.fromString("6a7e1c3e-0000-4000-8000-00000000a11e");

    /** WireMock hands the gateway's requests (/stripe) to the in-hub Stripe sandbox (as PaymentTestSupport). */
    @BeforeEach
    void gatewayIsTheSandbox() {
        var server = io.orderhub.sync.SyncTargetsServer.server();
        if (server.getStubMappings().stream().anyMatch(s -> PROXY_STUB.equals(s.getId()))) {
            return;
        }
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .any(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/stripe/v1/.*"))
                .withId(PROXY_STUB).atPriority(5)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .proxiedFrom("http://localhost:" + port + "/sandbox/payment/stripe")
                        .withProxyUrlPrefixToRemove("/stripe")));
    }

    // ---- helpers

    String shippedOrder(String sku1, int q1, String sku2, int q2) {
        return shippedOrder(orderFor(sku1, q1, sku2, q2));
    }

    /** Submits the order on the marketplace channel and packs its shipments: SHIPPED or later. */
    String shippedOrder(ObjectNode order) {
        String orderId = submit(MARKETPLACE_KEY, order);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(orderId)).isEqualTo("ALLOCATED"));
        for (JsonNode s : get("/api/orders/" + orderId + "/shipments", OPS_KEY).body()) {
            Response packed = postJson("/api/shipments/" + s.get("shipmentId").asText() + "/packed", OPS_KEY, "");
            assertThat(packed.status()).as(packed.toString()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(orderId))
                .isIn("SHIPPED", "DELIVERED", "COMPLETED"));
        return orderId;
    }

    ObjectNode orderFor(String sku1, int q1, String sku2, int q2) {
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
        order.putObject("payment").put("method", "card").put("token", "pm_card_visa");
        return order;
    }

    String product(int onHand) {
        return product(onHand, "10");
    }

    /** A product with its catalogue price in EUR and stock at eu-central. */
    String product(int onHand, String unitPrice) {
        String sku = "R-" + UUID.randomUUID().toString().replaceAll("[^a-f]", "").toUpperCase();
        assertThat(put("/api/products/" + sku, Map.of("description", "return test " + sku, "unitPrice", new BigDecimal(unitPrice),
                "currency", "EUR", "weightKg", 0.5)).status()).isEqualTo(201);
        assertThat(put("/api/inventory/" + sku, Map.of("warehouse", "eu-central", "onHand", onHand)).status()).isEqualTo(200);
        return sku;
    }

    int available(String sku) {
        return get("/api/inventory/" + sku, OPS_KEY).body().get("available").asInt();
    }

    String submit(String key, ObjectNode order) {
        Response r = postJson("/api/orders", key, order);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("orderId").asText();
    }

    String status(String orderId) {
        return jdbc.queryForObject("select status from orders where order_id = ?", String.class, orderId);
    }

    String returnStatus(String returnId) {
        return jdbc.queryForObject("select status from returns where return_id = ?", String.class, returnId);
    }

    Response requestReturn(String orderId, String key, String idempotencyKey, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders/" + orderId
                    + "/returns")).header("X-API-Key", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            if (idempotencyKey != null) {
                b.header("Idempotency-Key", idempotencyKey);
            }
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r, r.body(), json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response put(String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("X-API-Key", OPS_KEY).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
            HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r, r.body(), json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
