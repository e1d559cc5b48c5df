package io.orderhub.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Tracking by signed webhook (EasyPost tracker.updated events, X-Hmac-Signature) and by polling:
 * bad signatures refused, replays and older statuses ignored, status only moves forward, the order
 * DELIVERED and COMPLETED when its parcel is delivered.
 */
class CarrierWebhookTest extends ShippingTestSupport {

    private WireMockCarrier shipped() {
        String orderId = allocated(orderFor(product(3, 0), 1, "wiremock", "51147"));
        WireMockCarrier carrier = new WireMockCarrier(shipmentIds(orderId).get(0), json).happy();
        pack(carrier.reference);
        awaitStatus(orderId, "SHIPPED");
        return carrier;
    }

    private Response send(String carrier, byte[] body, String signature) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/webhooks/carriers/" + carrier))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (signature != null) {
                b.header(WebhookSignature.HEADER, signature);
            }
            return send(b.build(), body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Response signed(ObjectNode event) {
        byte[] body = event.toString().getBytes(StandardCharsets.UTF_8);
        return send("wiremock", body, WebhookSignature.sign(WireMockCarrier.WEBHOOK_SECRET, body));
    }

    private String outcome(Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().get("outcome").asText();
    }

    @Test
    void unsignedOrWronglySignedEventsAreRefusedAndChangeNothing() {
        WireMockCarrier carrier = shipped();
        byte[] body = carrier.event("evt_" + UUID.randomUUID(), "delivered").toString().getBytes(StandardCharsets.UTF_8);
        Response none = send("wiremock", body, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("Content-Type")).contains("application/problem+json");
        assertThat(none.body().at("/errors/0/field").asText()).isEqualTo(WebhookSignature.HEADER);
        assertThat(send("wiremock", body, WebhookSignature.sign("another-secret", body)).status()).isEqualTo(401);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("delivered", "in_transit").getBytes(StandardCharsets.UTF_8);
        assertThat(send("wiremock", tampered, WebhookSignature.sign(WireMockCarrier.WEBHOOK_SECRET, body)).status()).isEqualTo(401);
        assertThat(send("nocarrier", body, WebhookSignature.sign(WireMockCarrier.WEBHOOK_SECRET, body)).status()).isEqualTo(401);
        // the sandbox account's secret does not sign for the wiremock account
        assertThat(send("wiremock", body, WebhookSignature.sign("sandbox-webhook-secret", body)).status()).isEqualTo(401);
        assertThat(shipping.parcel(carrier.reference).orElseThrow().trackingStatus()).isNull();
        assertThat(status(orderOf(carrier))).isEqualTo("SHIPPED");
    }

    @Test
    void replaysAndOlderStatusesAreIgnoredAndDeliveryCompletesTheOrder() {
        WireMockCarrier carrier = shipped();
        String orderId = orderOf(carrier);
        ObjectNode inTransit = carrier.event("evt_" + UUID.randomUUID(), "in_transit");
        assertThat(outcome(signed(inTransit))).isEqualTo("APPLIED");
        assertThat(outcome(signed(inTransit))).as("the same event again").isEqualTo("DUPLICATE");
        // an older status arriving late (out of order) is recorded nowhere
        assertThat(outcome(signed(carrier.event("evt_" + UUID.randomUUID(), "pre_transit")))).isEqualTo("STALE");
        assertThat(shipping.parcel(carrier.reference).orElseThrow().trackingStatus()).isEqualTo("in_transit");
        // delivered overtakes out_for_delivery
        assertThat(outcome(signed(carrier.event("evt_" + UUID.randomUUID(), "delivered")))).isEqualTo("APPLIED");
        assertThat(outcome(signed(carrier.event("evt_" + UUID.randomUUID(), "out_for_delivery")))).isEqualTo("STALE");
        assertThat(shipping.parcel(carrier.reference).orElseThrow().trackingStatus()).isEqualTo("delivered");
        assertThat(status(orderId)).isEqualTo("COMPLETED");
        assertThat(timeline(orderId)).containsSubsequence("order.shipped", "shipment.in_transit", "shipment.delivered",
                "order.delivered", "order.completed").doesNotContain("shipment.pre_transit", "shipment.out_for_delivery");
        // other events and unknown parcels are answered, not failed (the carrier would retry forever)
        ObjectNode other = carrier.event("evt_" + UUID.randomUUID(), "delivered");
        other.put("description", "batch.updated");
        assertThat(outcome(signed(other))).isEqualTo("IGNORED");
        ObjectNode unknown = carrier.event("evt_" + UUID.randomUUID(), "delivered");
        ((ObjectNode) unknown.get("result")).put("id", "trk_unknown").put("tracking_code", "NOPE").put("shipment_id", "shp_unknown");
        assertThat(outcome(signed(unknown))).isEqualTo("UNKNOWN_PARCEL");
    }

    @Test
    void anEventForALabelNotYetRecordedIsAnswered503AndAppliedWhenSentAgain() {
        String orderId = allocated(orderFor(product(3, 0), 1, "wiremock", "51147"));
        WireMockCarrier carrier = new WireMockCarrier(shipmentIds(orderId).get(0), json);
        WireMockCarrier.server().stubFor(carrier.create().willReturn(WireMockCarrier.ok(201, carrier.shipment(false))));
        WireMockCarrier.server().stubFor(carrier.read().willReturn(WireMockCarrier.ok(200, carrier.shipment(false))));
        WireMockCarrier.server().stubFor(carrier.buy().willReturn(WireMockCarrier.ok(502, "{}")));
        pack(carrier.reference);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(shipping.parcel(carrier.reference)).hasValueSatisfying(p -> {
                    assertThat(p.carrierShipmentId()).isEqualTo(carrier.shipmentId);
                    assertThat(p.message()).contains("will retry");
                }));

        ObjectNode early = carrier.event("evt_" + UUID.randomUUID(), "in_transit");
        Response notYet = signed(early);
        assertThat(notYet.status()).as(notYet.toString()).isEqualTo(503);
        assertThat(notYet.header("Retry-After")).isNotNull();

        carrier.happy();
        awaitStatus(orderId, "SHIPPED");
        assertThat(outcome(signed(early))).as("the same event, sent again").isEqualTo("APPLIED");
        assertThat(shipping.parcel(carrier.reference).orElseThrow().trackingStatus()).isEqualTo("in_transit");
    }

    @Test
    void malformedSignedEventsAre4xx() {
        byte[] notJson = "{not json".getBytes(StandardCharsets.UTF_8);
        assertThat(send("wiremock", notJson, WebhookSignature.sign(WireMockCarrier.WEBHOOK_SECRET, notJson)).status()).isEqualTo(400);
        byte[] noId = "{\"description\":\"tracker.updated\",\"result\":{}}".getBytes(StandardCharsets.UTF_8);
        Response r = send("wiremock", noId, WebhookSignature.sign(WireMockCarrier.WEBHOOK_SECRET, noId));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("id");
    }

    @Test
    void pollingFallbackMovesTheParcelForCarriersWithoutWebhooks() {
        WireMockCarrier carrier = shipped();
        String orderId = orderOf(carrier);
        ObjectNode tracker = (ObjectNode) carrier.event("x", "out_for_delivery").get("result");
        WireMockCarrier.server().stubFor(carrier.tracker().willReturn(WireMockCarrier.ok(200, tracker)));
        // the scheduled poller may hold the one-instance lease at the moment: poll until a run applied it
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            shipping.pollTrackers();
            assertThat(shipping.parcel(carrier.reference).orElseThrow().trackingStatus()).isEqualTo("out_for_delivery");
        });
        assertThat(status(orderId)).isEqualTo("SHIPPED");

        tracker.put("status", "delivered");
        WireMockCarrier.server().stubFor(carrier.tracker().willReturn(WireMockCarrier.ok(200, tracker)));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            shipping.pollTrackers();
            assertThat(status(orderId)).isEqualTo("COMPLETED");
        });
    }

    @Test
    void anOrderIsFoundByItsTrackingNumber() {
        WireMockCarrier carrier = shipped();
        String orderId = orderOf(carrier);
        String tracking = shipping.parcel(carrier.reference).orElseThrow().trackingCode();
        assertThat(tracking).isNotBlank();
        Response found = get("/api/orders?trackingNumber=" + tracking, OPS_KEY);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().get("totalItems").asLong()).isEqualTo(1);
        assertThat(found.body().at("/items/0/orderId").asText()).isEqualTo(orderId);
        assertThat(get("/api/orders?trackingNumber=NOSUCH" + UUID.randomUUID().toString().replace('-', 'x'), OPS_KEY)
                .body().get("totalItems").asLong()).isZero();
        Response tooLong = get("/api/orders?trackingNumber=" + "T".repeat(101), OPS_KEY);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().at("/errors/0/field").asText()).isEqualTo("trackingNumber");
    }

    private String orderOf(WireMockCarrier carrier) {
        return shipping.parcel(carrier.reference).orElseThrow().orderId();
    }
}
