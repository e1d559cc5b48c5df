package io.orderhub.sandbox;

import io.orderhub.common.JdbcValues;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The sandbox carrier's state and clock (EasyPost v2 semantics): shipments with two carriers' rates
 * (SandboxPost Ground: cheap, 5 days; SandboxExpress Express: dearer, 2 days), one purchase per
 * shipment, postal code 00000 undeliverable at purchase, tracking pre_transit → in_transit →
 * out_for_delivery → delivered one step per {@code orderhub.sandbox.carrier.step}, each step
 * sent to the hub as a signed tracker.updated event.
 */
@Service
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxCarrier {

    static final String SYSTEM = "carrier";
    static final String UNDELIVERABLE_ZIP = "00000";
    static final List<String> STEPS = List.of("pre_transit", "in_transit", "out_for_delivery", "delivered");
    static final List<String> STEP_MESSAGES = List.of("Shipping label created", "Arrived at the carrier's facility",
            "Out for delivery", "Delivered");
    /** How long a step claimed for sending stays claimed: longer than a webhook's timeout (10 s). */
    static final Duration SENDING_CLAIM = Duration.ofSeconds(30);

    /** A refusal in EasyPost's error format. */
    public static class CarrierError extends RuntimeException {
        final int status;
        final String code;
        final String field;

        CarrierError(int status, String code, String message, String field) {
            super(message);
            this.status = status;
            this.code = code;
            this.field = field;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Environment env;
    private final ParcelViews views;
    private final TrackingWebhooks webhooks;

    @Autowired
    public SandboxCarrier(NamedParameterJdbcTemplate jdbc, ObjectMapper json, Clock clock, Environment env,
                          SandboxProperties sandbox) {
        this(jdbc, json, clock, env, sandbox.carrier().step().toMillis() / 1000.0, sandbox.carrier().webhookUrl(),
                sandbox.carrier().webhookSecret(), sandbox.carrier().webhooks(), sandbox.carrier().webhookConcurrency());
    }

    public SandboxCarrier(NamedParameterJdbcTemplate jdbc, ObjectMapper json, Clock clock, Environment env,
                          double stepSeconds, String webhookUrl, String webhookSecret, boolean webhooks,
                          int webhookConcurrency) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.env = env;
        Duration step = Duration.ofMillis(Math.max(1, Math.round(stepSeconds * 1000)));
        this.views = new ParcelViews(json, clock, step);
        this.webhooks = new TrackingWebhooks(jdbc, json, clock, step, views, this::base, webhookUrl, webhookSecret,
                webhooks, webhookConcurrency);
    }

    /** POST /v2/shipments: validates the addresses and parcel, stores the shipment, answers it with two rates. */
    public ObjectNode create(JsonNode body) {
        JsonNode s = body == null ? null : body.path("shipment");
        if (s == null || !s.isObject()) {
            throw new CarrierError(422, "PARAMETER.REQUIRED", "shipment is required", "shipment");
        }
        for (String address : List.of("to_address", "from_address")) {
            for (String field : List.of("street1", "city", "zip", "country")) {
                if (s.path(address).path(field).asText("").isBlank()) {
                    throw new CarrierError(422, "ADDRESS.VERIFY.FAILURE", address + "." + field + " is required", address + "." + field);
                }
            }
        }
        if (!s.path("parcel").path("weight").isNumber() || s.path("parcel").path("weight").decimalValue().signum() <= 0) {
            throw new CarrierError(422, "PARCEL.WEIGHT.INVALID", "parcel.weight must be a positive number of ounces", "parcel.weight");
        }
        String id = "shp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        jdbc.update("""
                insert into sandbox_carrier_shipments (id, request, to_postal_code, created_at)
                values (:id, :request, :zip, :now)
                """, new MapSqlParameterSource("id", id).addValue("request", s.toString())
                .addValue("zip", s.path("to_address").path("zip").asText()).addValue("now", Timestamp.from(clock.instant())));
        return shipment(id);
    }

    /** POST /v2/shipments/{id}/buy: one label per shipment; 00000 is undeliverable. */
    public ObjectNode buy(String id, JsonNode body) {
        Map<String, Object> row = row(id);
        if (row.get("purchased_at") != null) {
            throw new CarrierError(422, "SHIPMENT.POSTAGE.EXISTS", "postage already exists for this shipment", null);
        }
        if (UNDELIVERABLE_ZIP.equals(row.get("to_postal_code"))) {
            throw new CarrierError(422, "ADDRESS.VERIFY.FAILURE",
                    "Unable to verify address: postal code 00000 is not a deliverable address", "to_address.zip");
        }
        String rateId = body == null ? null : body.path("rate").path("id").asText(null);
        Optional<ObjectNode> rate = rates(id, (String) row.get("request")).stream()
                .filter(r -> r.path("id").asText().equals(rateId)).findFirst();
        if (rate.isEmpty()) {
            throw new CarrierError(422, "SHIPMENT.RATE.INVALID", "rate.id '" + rateId + "' is not a rate of " + id, "rate.id");
        }
        int n = jdbc.update("""
                update sandbox_carrier_shipments set rate_id = :rate, carrier = :carrier, service = :service,
                       tracking_code = :code, purchased_at = :now
                where id = :id and purchased_at is null
                """, new MapSqlParameterSource("id", id).addValue("rate", rateId)
                .addValue("carrier", rate.get().path("carrier").asText()).addValue("service", rate.get().path("service").asText())
                .addValue("code", "SBX" + id.substring(4, 20).toUpperCase()).addValue("now", Timestamp.from(clock.instant())));
        if (n != 1) {
            throw new CarrierError(422, "SHIPMENT.POSTAGE.EXISTS", "postage already exists for this shipment", null);
        }
        return shipment(id);
    }

    /** POST /v2/shipments/{id}/refund: a label not yet delivered is refunded. */
    public ObjectNode refund(String id) {
        Map<String, Object> row = row(id);
        if (row.get("purchased_at") == null) {
            throw new CarrierError(422, "SHIPMENT.REFUND.NOT_PURCHASED", "the shipment has no postage to refund", null);
        }
        if (stepIndex(row) == STEPS.size() - 1) {
            throw new CarrierError(422, "SHIPMENT.REFUND.DELIVERED", "a delivered shipment cannot be refunded", null);
        }
        jdbc.update("update sandbox_carrier_shipments set refund_status = 'submitted' where id = :id",
                new MapSqlParameterSource("id", id));
        return shipment(id);
    }

    public ObjectNode shipment(String id) {
        Map<String, Object> row = row(id);
        ObjectNode s = json.createObjectNode();
        s.put("id", id).put("object", "Shipment").put("mode", "test");
        s.put("created_at", instant(row.get("created_at")).toString());
        JsonNode request = read((String) row.get("request"));
        s.set("to_address", request.path("to_address"));
        s.set("from_address", request.path("from_address"));
        s.set("parcel", request.path("parcel"));
        s.put("reference", request.path("reference").asText(null));
        s.put("is_return", request.path("is_return").asBoolean(false));
        s.putArray("rates").addAll(rates(id, (String) row.get("request")));
        s.putArray("messages");
        if (row.get("purchased_at") != null) {
            String code = (String) row.get("tracking_code");
            s.put("tracking_code", code);
            s.set("selected_rate", rates(id, (String) row.get("request")).stream()
                    .filter(r -> r.path("id").asText().equals(row.get("rate_id"))).findFirst().orElseThrow());
            s.putObject("postage_label").put("object", "PostageLabel").put("label_file_type", "image/png")
                    .put("label_url", base() + "/sandbox/carrier/labels/" + id + ".png");
            s.set("tracker", tracker(row));
            s.put("refund_status", (String) row.get("refund_status"));
        } else {
            s.putNull("tracking_code");
            s.putNull("selected_rate");
            s.putNull("postage_label");
            s.putNull("tracker");
        }
        return s;
    }

    /**
     * The public tracking page's data (the link in the shipping notification): the tracker of a bought
     * label found by its tracking code.
     */
    public ObjectNode trackerByCode(String trackingCode) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select * from sandbox_carrier_shipments where tracking_code = :code and purchased_at is not null
                """, new MapSqlParameterSource("code", trackingCode == null ? "" : trackingCode));
        if (rows.isEmpty()) {
            throw new CarrierError(404, "NOT_FOUND", "no parcel with tracking code " + trackingCode, null);
        }
        return tracker(rows.get(0));
    }

    /**
     * POST /v2/trackers: the tracker of the label bought here with that tracking code (EasyPost answers an existing
     * tracker for a code it tracks already); a code this carrier never sold is a 422 as EasyPost's invalid code.
     */
    public ObjectNode createTracker(JsonNode body) {
        JsonNode t = body == null ? null : body.path("tracker");
        if (t == null || !t.isObject() || t.path("tracking_code").asText("").isBlank()) {
            throw new CarrierError(422, "PARAMETER.REQUIRED", "tracker.tracking_code is required", "tracker.tracking_code");
        }
        String code = t.path("tracking_code").asText();
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select * from sandbox_carrier_shipments where tracking_code = :code and purchased_at is not null
                """, new MapSqlParameterSource("code", code));
        if (rows.isEmpty()) {
            throw new CarrierError(422, "TRACKER.TRACKING_CODE.INVALID", "no parcel with tracking code " + code
                    + ": this sandbox tracks the labels it sold", "tracker.tracking_code");
        }
        String carrierName = t.path("carrier").asText("");
        if (!carrierName.isBlank() && !carrierName.equalsIgnoreCase((String) rows.get(0).get("carrier"))) {
            throw new CarrierError(422, "TRACKER.CARRIER.INVALID", "tracking code " + code + " is a "
                    + rows.get(0).get("carrier") + " parcel, not " + carrierName, "tracker.carrier");
        }
        return tracker(rows.get(0));
    }

    /** GET /v2/trackers/{id}. */
    public ObjectNode tracker(String trackerId) {
        if (trackerId == null || !trackerId.startsWith("trk_")) {
            throw new CarrierError(404, "NOT_FOUND", "no tracker " + trackerId, null);
        }
        List<Map<String, Object>> rows = jdbc.queryForList("select * from sandbox_carrier_shipments where id = :id",
                new MapSqlParameterSource("id", "shp_" + trackerId.substring(4)));
        if (rows.isEmpty() || rows.get(0).get("purchased_at") == null) {
            throw new CarrierError(404, "NOT_FOUND", "no tracker " + trackerId, null);
        }
        return tracker(rows.get(0));
    }

    private Map<String, Object> row(String id) {
        List<Map<String, Object>> rows = jdbc.queryForList("select * from sandbox_carrier_shipments where id = :id",
                new MapSqlParameterSource("id", id));
        if (rows.isEmpty()) {
            throw new CarrierError(404, "NOT_FOUND", "no shipment " + id, null);
        }
        return rows.get(0);
    }

    /**
     * The clock: sends each tracking step reached since the last tick as a signed tracker.updated
     * event, in order. A step whose delivery failed is sent again on the next tick. Each step is claimed for
     * {@link #SENDING_CLAIM} before it is sent and counted as sent once the hub took it, so the sandboxes of
     * several hub instances on one database send each step once, as one carrier does, and a step whose sender
     * died is sent again when its claim runs out; the parcels due are sent in parallel
     * ({@code orderhub.sandbox.carrier.webhook-concurrency}), each parcel's steps in order, and no database
     * transaction waits on the hub's answer.
     */
    @Scheduled(fixedDelayString = "${orderhub.sandbox.carrier.tick}", initialDelayString = "${orderhub.sandbox.carrier.tick}")
    public void tick() {
        webhooks.tick();
    }

    @jakarta.annotation.PreDestroy
    void stopSenders() {
        webhooks.close();
    }

    private ObjectNode tracker(Map<String, Object> row) {
        return views.tracker(row);
    }

    private int stepIndex(Map<String, Object> row) {
        return views.stepIndex(row);
    }

    private List<ObjectNode> rates(String id, String request) {
        return views.rates(id, request);
    }

    private JsonNode read(String text) {
        return views.read(text);
    }

    private String base() {
        return "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    }

    private static Instant instant(Object value) {
        return JdbcValues.instant(value);
    }
}
