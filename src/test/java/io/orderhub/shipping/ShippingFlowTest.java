package io.orderhub.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.inventory.WarehouseWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Shipping with the in-hub sandbox carrier (EasyPost protocol over HTTP, signed tracker.updated
 * webhooks, one tracking step per 0.5 s in tests): packed shipments get labels, the order ships when
 * all have them and is delivered only when every parcel is; undeliverable addresses are held.
 */
class ShippingFlowTest extends ShippingTestSupport {

    @Autowired
    WarehouseWork warehouses;

    @Test
    void aPackingWakesTheDispatcherOnceItHasCommitted() {
        AtomicInteger wakes = new AtomicInteger();
        warehouses.onPacked(wakes::incrementAndGet);
        String orderId = allocated(orderFor(product(3, 0), 1, "standard", "51147"));
        String shipment = shipmentIn(orderId, "eu-central");

        pack(shipment);
        assertThat(wakes).as("the packing's commit woke the dispatcher (and this test's listener)").hasValue(1);
        pack(shipment);
        assertThat(wakes).as("packing again changes nothing and wakes nothing").hasValue(1);
        awaitParcel(shipment, "LABELLED");
    }

    @Test
    void twoWarehouseOrderIsDeliveredOnlyWhenBothParcelsAre() {
        // 5 wanted, 3 + 3 in stock: two shipments, one per warehouse
        String sku = product(3, 3);
        String orderId = allocated(orderFor(sku, 5, "standard", "51147"));
        String eu = shipmentIn(orderId, "eu-central");
        String us = shipmentIn(orderId, "us-east");

        pack(eu);
        ShippingService.Parcel euParcel = awaitParcel(eu, "LABELLED");
        // the cheapest of the sandbox's two carriers for "standard"
        assertThat(euParcel.carrier()).isEqualTo("SandboxPost");
        assertThat(euParcel.service()).isEqualTo("Ground");
        assertThat(euParcel.trackingCode()).startsWith("SBX");
        assertThat(euParcel.labelUrl()).contains("/sandbox/carrier/labels/");
        // the first parcel travels all the way; the order waits for the second
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(shipping.parcel(eu).orElseThrow().trackingStatus()).isEqualTo("delivered"));
        assertThat(status(orderId)).isEqualTo("ALLOCATED");

        pack(us);
        awaitStatus(orderId, "COMPLETED");
        List<String> timeline = timeline(orderId);
        assertThat(timeline).containsSubsequence("order.allocated", "shipment.labelled", "shipment.pre_transit",
                "shipment.in_transit", "shipment.out_for_delivery", "shipment.delivered", "order.shipped",
                "order.delivered", "order.completed");
        assertThat(timeline.stream().filter("shipment.delivered"::equals).count()).isEqualTo(2);
        assertThat(timeline.lastIndexOf("shipment.delivered")).isLessThan(timeline.indexOf("order.delivered"));
        assertThat(timeline.stream().filter("shipment.labelled"::equals).count()).isEqualTo(2);

        JsonNode shipments = shipments(orderId);
        assertThat(shipments).hasSize(2).allSatisfy(s -> {
            assertThat(s.get("status").asText()).isEqualTo("DELIVERED");
            assertThat(s.get("carrier").asText()).isEqualTo("SandboxPost");
            assertThat(s.get("service").asText()).isEqualTo("Ground");
            assertThat(s.get("trackingNumber").asText()).startsWith("SBX");
        });
        // order.shipped on orders.events carries the carriers and tracking numbers (the ERP mapping uses them)
        JsonNode shipped = readJson(outboxPayload(orderId, "order.shipped"));
        assertThat(shipped.at("/data/shipments")).hasSize(2).allSatisfy(s -> {
            assertThat(s.get("carrier").asText()).isEqualTo("SandboxPost");
            assertThat(s.get("trackingNumber").asText()).startsWith("SBX");
        });
        // the journey: time in each status, the charge, both parcels
        JsonNode journey = get("/api/orders/" + orderId + "/journey", OPS_KEY).body();
        assertThat(journey.get("stages").findValuesAsText("status")).containsSubsequence("CREATED", "CONFIRMED", "PAID",
                "ALLOCATED", "SHIPPED", "DELIVERED", "COMPLETED");
        assertThat(journey.at("/stages/0/seconds").asDouble()).isNotNegative();
        assertThat(journey.at("/stages/0/leftAt").isNull()).isFalse();
        assertThat(journey.get("payments").isArray()).isTrue();
        assertThat(journey.get("parcels")).hasSize(2).allSatisfy(p -> {
            assertThat(p.get("trackingNumber").asText()).startsWith("SBX");
            assertThat(p.get("deliveredAt").isNull()).isFalse();
        });
        assertThat(journey.has("notifications")).isTrue();
        // the sandbox carrier was asked to buy exactly one label per parcel
        for (String id : List.of(euParcel.carrierShipmentId(), shipping.parcel(us).orElseThrow().carrierShipmentId())) {
            JsonNode received = get("/sandbox/carrier/received?contains=" + id.substring(4), OPS_KEY).body();
            long buys = 0;
            for (JsonNode r : received) {
                if (r.get("path").asText().endsWith("/buy")) {
                    buys++;
                }
            }
            assertThat(buys).as("label purchases of " + id).isEqualTo(1);
        }
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void expressOrdersTakeTheFastestRate() {
        String sku = product(2, 0);
        String orderId = allocated(orderFor(sku, 1, "express", "10115"));
        String id = shipmentIds(orderId).get(0);
        pack(id);
        ShippingService.Parcel p = awaitParcel(id, "LABELLED");
        assertThat(p.carrier()).isEqualTo("SandboxExpress");
        assertThat(p.service()).isEqualTo("Express");
        awaitStatus(orderId, "COMPLETED");
    }

    @Test
    void undeliverableAddressPutsTheParcelOnHoldWithTheCarriersMessage() {
        String sku = product(2, 0);
        String orderId = allocated(orderFor(sku, 1, "standard", "00000"));
        String id = shipmentIds(orderId).get(0);
        pack(id);
        ShippingService.Parcel held = awaitParcel(id, "HELD");
        assertThat(held.message()).contains("00000");
        assertThat(held.trackingCode()).isNull();
        assertThat(status(orderId)).isEqualTo("ALLOCATED");
        assertThat(timelineEvent(orderId, "shipment.held").get("detail").asText()).contains("on hold").contains("00000");
        assertThat(shipments(orderId).get(0).get("status").asText()).isEqualTo("HELD");

        Response ops = get("/api/ops/shipping/held", OPS_KEY);
        assertThat(ops.status()).isEqualTo(200);
        assertThat(ops.body()).anySatisfy(p -> {
            assertThat(p.get("shipmentId").asText()).isEqualTo(id);
            assertThat(p.get("orderId").asText()).isEqualTo(orderId);
            assertThat(p.get("message").asText()).contains("00000");
        });
        assertThat(get("/api/ops/shipping/held", WEBSHOP_KEY).status()).isEqualTo(403);
        // released without a fix, the carrier refuses again: held again, not lost, no label
        Response released = postJson("/api/ops/shipping/held/" + id + "/release", OPS_KEY, "");
        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(timeline(orderId).stream().filter("shipment.held"::equals).count()).isEqualTo(2));
        assertThat(shipping.parcel(id).orElseThrow().state()).isEqualTo("HELD");
        assertThat(postJson("/api/ops/shipping/held/SHP-nope/release", OPS_KEY, "").status()).isEqualTo(404);
    }
}
