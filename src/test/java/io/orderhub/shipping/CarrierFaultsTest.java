package io.orderhub.shipping;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.Test;

/**
 * Carrier faults against a real HTTP server (WireMock, EasyPost answers): a buy that times out after
 * the carrier sold the label, 5xx on buy, malformed rates; and a cancellation after SHIPPED asking
 * the carrier for a refund. Never two labels for one parcel.
 */
class CarrierFaultsTest extends ShippingTestSupport {

    private WireMockCarrier packedWithCarrier(String orderId) {
        String shipmentId = shipmentIds(orderId).get(0);
        return new WireMockCarrier(shipmentId, json);
    }

    private String allocatedForWireMock() {
        return allocated(orderFor(product(3, 0), 1, "wiremock", "51147"));
    }

    @Test
    void timeoutOnBuyAfterTheCarrierSoldTheLabelLeavesOneLabel() {
        String orderId = allocatedForWireMock();
        WireMockCarrier carrier = packedWithCarrier(orderId);
        WireMockCarrier.server().stubFor(carrier.create().willReturn(WireMockCarrier.ok(201, carrier.shipment(false))));
        // the carrier sells the label but answers after the hub's 1 s timeout; reading back shows it
        WireMockCarrier.server().stubFor(carrier.buy().willReturn(WireMockCarrier.ok(200, carrier.shipment(true))
                .withFixedDelay(2500)));
        WireMockCarrier.server().stubFor(carrier.read().willReturn(WireMockCarrier.ok(200, carrier.shipment(true))));
        pack(carrier.reference);

        ShippingService.Parcel p = awaitParcel(carrier.reference, "LABELLED");
        assertThat(p.trackingCode()).isEqualTo(carrier.trackingCode);
        assertThat(p.attempts()).isEqualTo(1);
        awaitStatus(orderId, "SHIPPED");
        WireMockCarrier.server().verify(1, postRequestedFor(urlEqualTo(carrier.path("/buy"))));
        WireMockCarrier.server().verify(moreThanOrExactly(1), getRequestedFor(urlEqualTo(carrier.path(""))));
    }

    @Test
    void serverErrorOnBuyIsRetriedAfterCheckingThatNoLabelExists() {
        String orderId = allocatedForWireMock();
        WireMockCarrier carrier = packedWithCarrier(orderId);
        WireMockCarrier.server().stubFor(carrier.create().willReturn(WireMockCarrier.ok(201, carrier.shipment(false))));
        WireMockCarrier.server().stubFor(carrier.read().willReturn(WireMockCarrier.ok(200, carrier.shipment(false))));
        WireMockCarrier.server().stubFor(carrier.buy().inScenario("buy-" + carrier.shipmentId)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(WireMockCarrier.ok(503, "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"try later\"}}")));
        WireMockCarrier.server().stubFor(carrier.buy().inScenario("buy-" + carrier.shipmentId)
                .whenScenarioStateIs("recovered").willReturn(WireMockCarrier.ok(200, carrier.shipment(true))));
        pack(carrier.reference);

        ShippingService.Parcel p = awaitParcel(carrier.reference, "LABELLED");
        assertThat(p.trackingCode()).isEqualTo(carrier.trackingCode);
        assertThat(p.attempts()).isEqualTo(2);
        WireMockCarrier.server().verify(2, postRequestedFor(urlEqualTo(carrier.path("/buy"))));
        WireMockCarrier.server().verify(1, getRequestedFor(urlEqualTo(carrier.path(""))));
        awaitStatus(orderId, "SHIPPED");
    }

    @Test
    void malformedRatesBuyNothingAndAreRetried() {
        String orderId = allocatedForWireMock();
        WireMockCarrier carrier = packedWithCarrier(orderId);
        var bad = carrier.shipment(false);
        bad.putArray("rates").add(carrier.rate("rate_bad", "WireCarrier", "Slow", "4.10", 6).put("rate", "four dollars"));
        WireMockCarrier.server().stubFor(carrier.create().willReturn(WireMockCarrier.ok(201, bad)));
        pack(carrier.reference);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(shipping.parcel(carrier.reference))
                .hasValueSatisfying(p -> assertThat(p.message()).contains("will retry").contains("not a number")));
        assertThat(shipping.parcel(carrier.reference).orElseThrow().state()).isEqualTo("NEW");
        WireMockCarrier.server().verify(0, postRequestedFor(urlEqualTo(carrier.path("/buy"))));
        assertThat(status(orderId)).isEqualTo("ALLOCATED");

        carrier.happy();
        ShippingService.Parcel p = awaitParcel(carrier.reference, "LABELLED");
        assertThat(p.service()).isEqualTo("Slow");
        WireMockCarrier.server().verify(1, postRequestedFor(urlEqualTo(carrier.path("/buy"))));
    }

    @Test
    void cancelAfterShippedAsksTheCarrierForARefundAndRecordsIt() {
        String orderId = allocatedForWireMock();
        WireMockCarrier carrier = packedWithCarrier(orderId).happy();
        WireMockCarrier.server().stubFor(carrier.refund().willReturn(WireMockCarrier.ok(200,
                carrier.shipment(true).put("refund_status", "submitted"))));
        pack(carrier.reference);
        awaitStatus(orderId, "SHIPPED");

        Response cancelled = postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, "{\"reason\":\"customer changed mind\"}");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        ShippingService.Parcel p = shipping.parcel(carrier.reference).orElseThrow();
        assertThat(p.state()).isEqualTo("VOIDED");
        assertThat(p.refundStatus()).isEqualTo("refund submitted");
        assertThat(timelineEvent(orderId, "shipment.voided").get("detail").asText()).contains("refund submitted");
        WireMockCarrier.server().verify(1, postRequestedFor(urlEqualTo(carrier.path("/refund"))));
    }

    @Test
    void aRefusedRefundIsRecordedAndTheOrderIsCancelledAnyway() {
        String orderId = allocatedForWireMock();
        WireMockCarrier carrier = packedWithCarrier(orderId).happy();
        WireMockCarrier.server().stubFor(carrier.refund().willReturn(WireMockCarrier.ok(422,
                "{\"error\":{\"code\":\"SHIPMENT.REFUND.DELIVERED\",\"message\":\"already in transit\"}}")));
        pack(carrier.reference);
        awaitStatus(orderId, "SHIPPED");

        assertThat(postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, "").status()).isEqualTo(200);
        assertThat(status(orderId)).isEqualTo("CANCELLED");
        assertThat(shipping.parcel(carrier.reference).orElseThrow().refundStatus()).contains("refused").contains("already in transit");
    }
}
