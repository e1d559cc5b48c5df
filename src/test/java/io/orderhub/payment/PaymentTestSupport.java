package io.orderhub.payment;

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

/**
 * Helpers for payment tests: products with stock, orders of the marketplace channel (the one channel
 * the test configuration lets the payment stage pay), payments rows and the sandbox's record.
 */
abstract class PaymentTestSupport extends HubTestSupport {

    static final String MARKETPLACE_KEY = "test-marketplace-secret";
    /** The gateway's base path on the suite's WireMock server (application-test.yaml). */
    static final String GATEWAY_PATH = "/stripe";
    private static final UUID PROXY_STUB = UUID.fromString("6a7e1c3e-0000-4000-8000-00000000a11e");

    /** By default WireMock hands the gateway's requests to the in-hub sandbox; tests add faults above it. */
    @org.junit.jupiter.api.BeforeEach
    void gatewayIsTheSandbox() {
        var server = io.orderhub.sync.SyncTargetsServer.server();
        if (server.getStubMappings().stream().anyMatch(s -> PROXY_STUB.equals(s.getId()))) {
            return;
        }
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .any(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(GATEWAY_PATH + "/v1/.*"))
                .withId(PROXY_STUB).atPriority(5)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .proxiedFrom("http://localhost:" + port + "/sandbox/payment/stripe")
                        .withProxyUrlPrefixToRemove(GATEWAY_PATH)));
    }

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

    /** A new product with {@code onHand} units in eu-central. */
    protected String product(int onHand) {
        // letters only: digit runs could look like a card number to the intake's check
        String sku = "P-" + UUID.randomUUID().toString().replaceAll("[^a-f]", "").toUpperCase();
        Response created = put("/api/products/" + sku, OPS_KEY, Map.of("description", "payment test " + sku,
                "unitPrice", 10, "currency", "EUR", "weightKg", 0.5));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Response stock = put("/api/inventory/" + sku, OPS_KEY, Map.of("warehouse", "eu-central", "onHand", onHand));
        assertThat(stock.status()).as(stock.toString()).isEqualTo(200);
        return sku;
    }

    protected int available(String sku) {
        Response r = get("/api/inventory/" + sku, OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().get("available").asInt();
    }

    /** An order of {@code quantity} × sku at 10.00 (shipped to DE), paid with {@code payment}. */
    protected ObjectNode orderFor(String sku, int quantity, Map<String, String> payment) {
        ObjectNode order = order();
        BigDecimal total = new BigDecimal("10.00").multiply(BigDecimal.valueOf(quantity));
        order.putArray("lines").addObject().put("lineNo", 1).put("sku", sku).put("quantity", quantity)
                .put("unitPrice", new BigDecimal("10.00")).put("lineTotal", total);
        order.putObject("totals").put("subtotal", total).put("discount", 0).put("shipping", 0).put("tax", 0)
                .put("grandTotal", total);
        ObjectNode p = order.putObject("payment");
        payment.forEach(p::put);
        return order;
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

    protected java.util.List<Map<String, Object>> payments(String orderId) {
        return jdbc.queryForList("select * from payments where order_id = ? order by payment_id", orderId);
    }

    /** What the sandbox gateway created for the order (intents and refunds). */
    protected JsonNode sandboxReceived(String orderId) {
        Response r = get("/sandbox/payment/received?contains=" + orderId, OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    protected long sandboxCount(String orderId, String pathPrefix) {
        long n = 0;
        for (JsonNode e : sandboxReceived(orderId)) {
            if (e.get("path").asText().startsWith(pathPrefix)) {
                n++;
            }
        }
        return n;
    }
}
