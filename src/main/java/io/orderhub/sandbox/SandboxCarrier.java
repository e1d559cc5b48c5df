package io.orderhub.sandbox;

import io.orderhub.common.JdbcValues;
import io.orderhub.common.ParallelWork;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.shipping.WebhookSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger log = LoggerFactory.getLogger(SandboxCarrier.class);

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
    private final Duration step;
    private final String webhookUrl;
    private final String webhookSecret;
    private final boolean webhooks;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ParallelWork senders;

    @Autowired
    public SandboxCarrier(NamedParameterJdbcTemplate jdbc, ObjectMapper json, Clock clock, Environment env,
                          SandboxProperties sandbox) {
        this(jdbc, json, clock, env, sandbox.carrier().step().toMillis() / 1000.0, sandbox.carrier().webhookUrl(),
                sandbox.carrier().webhookSecret(), sandbox.carrier().webhooks(), sandbox.carrier().webhookConcurrency());
    }

    public SandboxCarrier(NamedParameterJdbcTemplate jdbc, ObjectMapper json, Clock clock, Environment env,
                          double stepSeconds, String webhookUrl, String webhookSecret, boolean webhooks,
                          int webhookConcurrency) {
        this.senders = new ParallelWork("sandbox-carrier-webhooks", webhookConcurrency);
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.env = env;
        this.step = Duration.ofMillis(Math.max(1, Math.round(stepSeconds * 1000)));
        this.webhookUrl = webhookUrl;
        this.webhookSecret = webhookSecret;
        this.webhooks = webhooks;
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
        if (!webhooks) {
            return;
        }
        // the parcels whose next step is due (step rank r is reached r - 1 steps after the purchase): only those
        // are looked at, in parallel, as a carrier's webhooks arrive
        Instant now = clock.instant();
        List<String> due = new ArrayList<>();
        jdbc.query("""
                select id, purchased_at, sent_rank from sandbox_carrier_shipments
                where purchased_at is not null and refund_status is null and sent_rank < :last order by purchased_at limit 1000
                """, new MapSqlParameterSource("last", STEPS.size()), rs -> {
            Instant purchased = rs.getTimestamp(2).toInstant();
            if (!purchased.plus(step.multipliedBy(rs.getInt(3))).isAfter(now)) {
                due.add(rs.getString(1));
            }
        });
        senders.each(due, id -> {
            List<Map<String, Object>> rows = jdbc.queryForList("select * from sandbox_carrier_shipments where id = :id",
                    new MapSqlParameterSource("id", id));
            if (rows.isEmpty()) {
                return id;
            }
            Map<String, Object> row = rows.get(0);
            int sent = ((Number) row.get("sent_rank")).intValue();
            int reached = stepIndex(row) + 1;
            for (int rank = sent + 1; rank <= reached; rank++) {
                // the step is claimed for a while before it is sent, so the sandboxes of several instances send it
                // once, and no transaction is held while the hub answers; the sent rank moves only once the hub took
                // it, and the claim of an instance that died runs out, so the step is then sent again
                if (!claim(id, rank - 1)) {
                    break;
                }
                boolean sentNow = send(row, STEPS.get(rank - 1));
                release(id, rank - 1, sentNow ? rank : rank - 1);
                if (!sentNow) {
                    break;
                }
            }
            return id;
        });
    }

    /** Claims the step after {@code sentRank} for {@link #SENDING_CLAIM}; false when it is sent or claimed already. */
    private boolean claim(String id, int sentRank) {
        Instant now = clock.instant();
        return jdbc.update("""
                update sandbox_carrier_shipments set sending_until = :until
                where id = (select id from sandbox_carrier_shipments where id = :id and sent_rank = :rank
                            and (sending_until is null or sending_until < :now) for update skip locked)
                """, new MapSqlParameterSource("id", id).addValue("rank", sentRank)
                .addValue("now", Timestamp.from(now)).addValue("until", Timestamp.from(now.plus(SENDING_CLAIM)))) == 1;
    }

    /** Ends the claim, with the step counted as sent ({@code to} = the next rank) or not ({@code to} = {@code from}). */
    private void release(String id, int from, int to) {
        jdbc.update("""
                update sandbox_carrier_shipments set sent_rank = :to, sending_until = null where id = :id and sent_rank = :from
                """, new MapSqlParameterSource("id", id).addValue("from", from).addValue("to", to));
    }

    @jakarta.annotation.PreDestroy
    void stopSenders() {
        senders.close();
    }

    private boolean send(Map<String, Object> row, String status) {
        ObjectNode tracker = tracker(row);
        tracker.put("status", status);
        // the event tells this step: its details end with it (later steps come with their own events)
        var details = (com.fasterxml.jackson.databind.node.ArrayNode) tracker.path("tracking_details");
        while (details.size() > STEPS.indexOf(status) + 1) {
            details.remove(details.size() - 1);
        }
        ObjectNode event = json.createObjectNode();
        event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        event.put("object", "Event").put("mode", "test").put("description", "tracker.updated");
        event.put("created_at", clock.instant().toString());
        event.set("result", tracker);
        byte[] body = event.toString().getBytes(StandardCharsets.UTF_8);
        String url = webhookUrl == null || webhookUrl.isBlank() ? base() + "/api/webhooks/carriers/easypost" : webhookUrl;
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(webhookSecret, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2) {
                log.info("sandbox carrier: webhook for {} answered {}", row.get("id"), r.statusCode());
                return false;
            }
            return true;
        } catch (java.io.IOException e) {
            log.info("sandbox carrier: webhook for {} failed: {}", row.get("id"), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ObjectNode tracker(Map<String, Object> row) {
        String id = (String) row.get("id");
        ObjectNode t = json.createObjectNode();
        t.put("id", "trk_" + id.substring(4)).put("object", "Tracker").put("mode", "test");
        t.put("tracking_code", (String) row.get("tracking_code"));
        int reached = stepIndex(row);
        t.put("status", STEPS.get(reached));
        t.put("carrier", (String) row.get("carrier"));
        t.put("shipment_id", id);
        t.put("updated_at", clock.instant().toString());
        // one entry per step reached, when it was reached (EasyPost's TrackingDetail)
        var details = t.putArray("tracking_details");
        Instant purchased = instant(row.get("purchased_at"));
        if (purchased != null) {
            t.put("created_at", purchased.toString());
            for (int i = 0; i <= reached; i++) {
                ObjectNode d = details.addObject();
                d.put("object", "TrackingDetail").put("status", STEPS.get(i)).put("message", STEP_MESSAGES.get(i));
                d.put("datetime", purchased.plus(step.multipliedBy(i)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString());
                d.put("source", (String) row.get("carrier"));
                d.putObject("tracking_location").put("object", "TrackingLocation");
            }
        }
        return t;
    }

    /** How far the parcel has come: 0 (pre_transit) to 3 (delivered), one step per step time since purchase. */
    private int stepIndex(Map<String, Object> row) {
        Instant purchased = instant(row.get("purchased_at"));
        if (purchased == null) {
            return 0;
        }
        long steps = Duration.between(purchased, clock.instant()).toMillis() / step.toMillis();
        return (int) Math.min(steps, STEPS.size() - 1);
    }

    private List<ObjectNode> rates(String id, String request) {
        BigDecimal ounces = read(request).path("parcel").path("weight").decimalValue();
        String suffix = id.substring(4);
        ObjectNode ground = rate("rate_" + suffix + "g", id, "SandboxPost", "Ground",
                new BigDecimal("5.00").add(ounces.multiply(new BigDecimal("0.10"))), 5);
        ObjectNode express = rate("rate_" + suffix + "x", id, "SandboxExpress", "Express",
                new BigDecimal("12.00").add(ounces.multiply(new BigDecimal("0.25"))), 2);
        return List.of(ground, express);
    }

    private ObjectNode rate(String id, String shipmentId, String carrier, String service, BigDecimal amount, int days) {
        ObjectNode r = json.createObjectNode();
        r.put("id", id).put("object", "Rate").put("mode", "test").put("shipment_id", shipmentId);
        r.put("carrier", carrier).put("service", service);
        r.put("rate", amount.setScale(2, RoundingMode.HALF_UP).toPlainString()).put("currency", "USD");
        r.put("delivery_days", days).put("est_delivery_days", days);
        return r;
    }

    private Map<String, Object> row(String id) {
        List<Map<String, Object>> rows = jdbc.queryForList("select * from sandbox_carrier_shipments where id = :id",
                new MapSqlParameterSource("id", id));
        if (rows.isEmpty()) {
            throw new CarrierError(404, "NOT_FOUND", "no shipment " + id, null);
        }
        return rows.get(0);
    }

    private String base() {
        return "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Object value) {
        return JdbcValues.instant(value);
    }
}
