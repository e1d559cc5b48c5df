package io.orderhub.shipping;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.orderhub.sync.SyncTargetsServer;

/**
 * One parcel's carrier on the suite's WireMock server (account "wiremock", path /carrier): EasyPost
 * answers for one carrier shipment id, matched by the hub's shipment reference, so tests do not
 * see each other's stubs.
 */
final class WireMockCarrier {

    static final String WEBHOOK_SECRET = "test-carrier-webhook-secret";

    final String reference;
    final String shipmentId = "shp_" + UUID.randomUUID().toString().replace("-", "");
    final String trackerId = "trk_" + UUID.randomUUID().toString().replace("-", "");
    final String trackingCode = "WM" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    private final ObjectMapper json;

    WireMockCarrier(String reference, ObjectMapper json) {
        this.reference = reference;
        this.json = json;
    }

    static WireMockServer server() {
        return SyncTargetsServer.server();
    }

    String path(String suffix) {
        return "/carrier/v2/shipments/" + shipmentId + suffix;
    }

    ObjectNode shipment(boolean purchased) {
        ObjectNode s = json.createObjectNode();
        s.put("id", shipmentId).put("object", "Shipment");
        ArrayNode rates = s.putArray("rates");
        rates.add(rate("rate_cheap_" + shipmentId, "WireCarrier", "Slow", "4.10", 6));
        rates.add(rate("rate_fast_" + shipmentId, "WireCarrier", "Fast", "9.90", 1));
        if (purchased) {
            s.put("tracking_code", trackingCode);
            s.putObject("postage_label").put("label_url", "https://labels.example/" + shipmentId + ".png");
            s.set("selected_rate", rate("rate_cheap_" + shipmentId, "WireCarrier", "Slow", "4.10", 6));
            s.putObject("tracker").put("id", trackerId).put("status", "pre_transit");
        } else {
            s.putNull("tracking_code");
        }
        return s;
    }

    ObjectNode rate(String id, String carrier, String service, String amount, int days) {
        ObjectNode r = json.createObjectNode();
        r.put("id", id).put("carrier", carrier).put("service", service).put("rate", amount).put("currency", "USD")
                .put("delivery_days", days);
        return r;
    }

    static ResponseDefinitionBuilder ok(int status, Object body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.toString());
    }

    MappingBuilder create() {
        return post(urlPathEqualTo("/carrier/v2/shipments")).atPriority(1)
                .withBasicAuth("test-carrier-key", "")
                .withRequestBody(matchingJsonPath("$.shipment.reference", equalTo(reference)));
    }

    MappingBuilder buy() {
        return post(urlEqualTo(path("/buy"))).atPriority(1);
    }

    MappingBuilder read() {
        return get(urlEqualTo(path(""))).atPriority(1);
    }

    MappingBuilder refund() {
        return post(urlEqualTo(path("/refund"))).atPriority(1);
    }

    MappingBuilder tracker() {
        return get(urlEqualTo("/carrier/v2/trackers/" + trackerId)).atPriority(1);
    }

    /** A carrier that creates, sells and reads back one label without trouble. */
    WireMockCarrier happy() {
        server().stubFor(create().willReturn(ok(201, shipment(false))));
        server().stubFor(buy().willReturn(ok(200, shipment(true))));
        server().stubFor(read().willReturn(ok(200, shipment(true))));
        return this;
    }

    /** A tracker.updated event as EasyPost sends it. */
    ObjectNode event(String eventId, String status) {
        ObjectNode e = json.createObjectNode();
        e.put("id", eventId).put("object", "Event").put("description", "tracker.updated");
        e.putObject("result").put("id", trackerId).put("object", "Tracker").put("tracking_code", trackingCode)
                .put("status", status).put("shipment_id", shipmentId);
        return e;
    }
}
