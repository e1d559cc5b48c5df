package io.orderhub.shipping;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.PartnerHttp;

/**
 * EasyPost v2 over HTTP: {@code POST /v2/shipments} (addresses, parcel in ounces → rates),
 * {@code GET /v2/shipments/{id}}, {@code POST /v2/shipments/{id}/buy} ({@code {"rate":{"id":…}}} →
 * tracking code, postage label, tracker), {@code GET /v2/trackers/{id}},
 * {@code POST /v2/shipments/{id}/refund}. Basic auth with the API key as user name. Timeouts,
 * connection failures, 5xx and unreadable answers are retryable {@link CarrierException}s; 4xx
 * carry the carrier's {@code error.message}. The calls go over the {@link PartnerHttp} it is given (the carrier
 * accounts share one, {@link Carriers}).
 */
public class EasyPostClient implements CarrierGateway {

    static final BigDecimal OUNCES_PER_KG = new BigDecimal("35.27396195");

    private final String account;
    private final Supplier<String> baseUrl;
    private final String authorization;
    private final Duration timeout;
    private final PartnerHttp http;
    private final ObjectMapper json;

    public EasyPostClient(String account, Supplier<String> baseUrl, String apiKey, PartnerHttp http,
                          Duration timeout, ObjectMapper json) {
        this.account = account;
        this.baseUrl = baseUrl;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.http = http;
        this.json = json;
    }

    private final io.orderhub.common.CallRecord calls = new io.orderhub.common.CallRecord();

    @Override
    public io.orderhub.common.CallRecord calls() {
        return calls;
    }

    @Override
    public String account() {
        return account;
    }

    @Override
    public CarrierShipment createShipment(ParcelRequest request) {
        ObjectNode body = json.createObjectNode();
        ObjectNode shipment = body.putObject("shipment");
        shipment.put("reference", request.reference());
        shipment.set("to_address", address(request.to()));
        shipment.set("from_address", address(request.from()));
        BigDecimal kg = request.weightKg() == null ? BigDecimal.ONE : request.weightKg();
        shipment.putObject("parcel").put("weight", kg.multiply(OUNCES_PER_KG).setScale(1, RoundingMode.UP));
        if (request.isReturn()) {
            shipment.put("is_return", true);
        }
        return shipment(call("POST", "/v2/shipments", body));
    }

    @Override
    public CarrierShipment shipment(String carrierShipmentId) {
        return shipment(call("GET", "/v2/shipments/" + carrierShipmentId, null));
    }

    @Override
    public CarrierShipment buy(String carrierShipmentId, String rateId) {
        ObjectNode body = json.createObjectNode();
        body.putObject("rate").put("id", rateId);
        return shipment(call("POST", "/v2/shipments/" + carrierShipmentId + "/buy", body));
    }

    @Override
    public Tracking tracker(String trackerId) {
        return tracking(call("GET", "/v2/trackers/" + trackerId, null));
    }

    @Override
    public String refund(String carrierShipmentId) {
        JsonNode answer = call("POST", "/v2/shipments/" + carrierShipmentId + "/refund", json.createObjectNode());
        return answer.path("refund_status").asText("submitted");
    }

    /** A tracker object as EasyPost sends it (also the {@code result} of a tracker.updated event). */
    public static Tracking tracking(JsonNode t) {
        String updated = t.path("updated_at").asText(null);
        Instant at = null;
        if (updated != null) {
            try {
                at = Instant.parse(updated);
            } catch (java.time.format.DateTimeParseException e) {
                at = null;
            }
        }
        return new Tracking(t.path("id").asText(null), t.path("tracking_code").asText(null), t.path("status").asText(null),
                t.path("shipment_id").asText(null), at);
    }

    private ObjectNode address(Address a) {
        ObjectNode n = json.createObjectNode();
        n.put("name", a.name());
        putIf(n, "company", a.company());
        n.put("street1", a.street1());
        putIf(n, "street2", a.street2());
        n.put("city", a.city());
        putIf(n, "state", a.state());
        n.put("zip", a.zip());
        n.put("country", a.country());
        putIf(n, "phone", a.phone());
        putIf(n, "email", a.email());
        return n;
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null && !value.isBlank()) {
            n.put(field, value);
        }
    }

    private CarrierShipment shipment(JsonNode s) {
        String id = s.path("id").asText(null);
        if (id == null || !s.path("rates").isArray() && !s.has("tracking_code")) {
            throw new CarrierException("carrier answered without a shipment id or rates: " + abbreviate(s.toString()), true,
                    "MALFORMED", null);
        }
        List<Rate> rates = new ArrayList<>();
        for (JsonNode r : s.path("rates")) {
            rates.add(rate(r));
        }
        String label = s.path("postage_label").path("label_url").asText(null);
        String tracker = s.path("tracker").path("id").asText(null);
        Rate selected = s.path("selected_rate").isObject() ? rate(s.get("selected_rate")) : null;
        String tracking = s.path("tracking_code").isTextual() ? s.get("tracking_code").asText() : null;
        return new CarrierShipment(id, List.copyOf(rates), tracking, label, tracker, selected);
    }

    private static Rate rate(JsonNode r) {
        String id = r.path("id").asText(null);
        String amount = r.path("rate").asText(null);
        if (id == null || amount == null) {
            throw new CarrierException("carrier sent a rate without id or amount: " + abbreviate(r.toString()), true,
                    "MALFORMED", null);
        }
        BigDecimal value;
        try {
            value = new BigDecimal(amount);
        } catch (NumberFormatException e) {
            throw new CarrierException("carrier sent a rate amount that is not a number: '" + amount + "'", true,
                    "MALFORMED", e);
        }
        Integer days = r.path("delivery_days").isNumber() ? r.get("delivery_days").asInt() : null;
        return new Rate(id, r.path("carrier").asText(""), r.path("service").asText(""), value,
                r.path("currency").asText("USD"), days);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Authorization", authorization);
        headers.put("Accept", "application/json");
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        PartnerHttp.Answer r;
        try {
            r = http.send(method, URI.create(baseUrl.get() + path), timeout, headers, body == null ? null : body.toString());
        } catch (PartnerHttp.TimedOut e) {
            calls.failed("timeout after " + timeout);
            throw new CarrierException(method + " " + path + " timed out after " + timeout, true, "TIMEOUT", e);
        } catch (IOException e) {
            calls.failed("cannot be reached: " + e.getClass().getSimpleName());
            throw new CarrierException(method + " " + path + " failed: " + e, true, "CONNECTION", e);
        }
        if (r.statusCode() >= 500 || r.statusCode() == 429 || r.statusCode() == 408) {
            calls.failed("answered " + r.statusCode());
        } else {
            calls.reached("answered " + r.statusCode());
        }
        JsonNode answer;
        try {
            answer = r.body() == null || r.body().isBlank() ? json.createObjectNode() : json.readTree(r.body());
        } catch (IOException e) {
            throw new CarrierException(method + " " + path + " answered " + r.statusCode() + " with a body that is not JSON: "
                    + abbreviate(r.body()), true, "MALFORMED", e);
        }
        if (r.statusCode() >= 500 || r.statusCode() == 429 || r.statusCode() == 408) {
            throw new CarrierException(method + " " + path + " answered " + r.statusCode() + ": " + errorMessage(answer),
                    true, "HTTP_" + r.statusCode(), null);
        }
        if (r.statusCode() >= 400) {
            throw new CarrierException(errorMessage(answer), false, answer.path("error").path("code").asText("HTTP_" + r.statusCode()),
                    null);
        }
        return answer;
    }

    private static String errorMessage(JsonNode answer) {
        JsonNode error = answer.path("error");
        StringBuilder m = new StringBuilder(error.path("message").asText(abbreviate(answer.toString())));
        for (JsonNode e : error.path("errors")) {
            m.append("; ").append(e.path("field").asText("")).append(' ').append(e.path("message").asText(""));
        }
        return m.toString().trim();
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
