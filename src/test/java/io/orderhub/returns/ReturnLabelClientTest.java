package io.orderhub.returns;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.orderhub.shipping.CarrierGateway;
import io.orderhub.shipping.EasyPostClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The return label on the wire: the EasyPost client sends a return shipment ({@code is_return: true}, the
 * outbound parcel's addresses) and an outbound one without the flag, to a WireMock EasyPost.
 */
class ReturnLabelClientTest {

    WireMockServer carrier;

    @BeforeEach
    void start() {
        carrier = new WireMockServer(options().dynamicPort());
        carrier.start();
        carrier.stubFor(post(urlEqualTo("/v2/shipments")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"shp_1\",\"rates\":[{\"id\":\"rate_1\",\"carrier\":\"USPS\",\"service\":\"Ground\","
                        + "\"rate\":\"4.10\",\"currency\":\"USD\",\"delivery_days\":3}]}")));
    }

    @AfterEach
    void stop() {
        carrier.stop();
    }

    @Test
    void aReturnShipmentCarriesIsReturnAndTheOutboundAddresses() throws Exception {
        try (io.orderhub.common.PartnerHttp http = new io.orderhub.common.PartnerHttp(Duration.ofSeconds(1))) {
            aReturnShipmentCarriesIsReturnAndTheOutboundAddresses(new EasyPostClient("test", () -> carrier.baseUrl(), "key",
                    http, Duration.ofSeconds(2), new ObjectMapper()));
        }
    }

    private void aReturnShipmentCarriesIsReturnAndTheOutboundAddresses(EasyPostClient client) throws Exception {
        CarrierGateway.Address warehouse = new CarrierGateway.Address("Warehouse", null, "Lager 1", null, "Berlin", null,
                "10115", "DE", null, null);
        CarrierGateway.Address customer = new CarrierGateway.Address("Erika", null, "Heide 17", null, "Köln", null,
                "51147", "DE", null, null);
        CarrierGateway.CarrierShipment s = client.createShipment(new CarrierGateway.ParcelRequest("RMA-000000001",
                warehouse, customer, new BigDecimal("1.0"), true));
        assertThat(s.rates()).singleElement().satisfies(r -> assertThat(r.id()).isEqualTo("rate_1"));
        com.fasterxml.jackson.databind.JsonNode sent = new ObjectMapper().readTree(
                carrier.findAll(postRequestedFor(urlEqualTo("/v2/shipments"))).get(0).getBodyAsString()).get("shipment");
        assertThat(sent.get("is_return").asBoolean()).isTrue();
        assertThat(sent.get("reference").asText()).isEqualTo("RMA-000000001");
        // the outbound parcel's addresses: the carrier swaps them for a return
        assertThat(sent.at("/from_address/zip").asText()).isEqualTo("10115");
        assertThat(sent.at("/to_address/zip").asText()).isEqualTo("51147");

        client.createShipment(new CarrierGateway.ParcelRequest("SHP-1", warehouse, customer, BigDecimal.ONE));
        assertThat(carrier.findAll(postRequestedFor(urlEqualTo("/v2/shipments"))).get(1).getBodyAsString())
                .doesNotContain("is_return");
    }
}
