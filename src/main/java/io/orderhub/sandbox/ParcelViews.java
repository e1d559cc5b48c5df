package io.orderhub.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.JdbcValues;

/** The sandbox carrier's answers in EasyPost's shapes: a parcel's tracker and tracking step, a shipment's rates. */
final class ParcelViews {

    private final ObjectMapper json;
    private final Clock clock;
    private final Duration step;

    ParcelViews(ObjectMapper json, Clock clock, Duration step) {
        this.json = json;
        this.clock = clock;
        this.step = step;
    }

    ObjectNode tracker(Map<String, Object> row) {
        String id = (String) row.get("id");
        ObjectNode t = json.createObjectNode();
        t.put("id", "trk_" + id.substring(4)).put("object", "Tracker").put("mode", "test");
        t.put("tracking_code", (String) row.get("tracking_code"));
        int reached = stepIndex(row);
        t.put("status", SandboxCarrier.STEPS.get(reached));
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
                d.put("object", "TrackingDetail").put("status", SandboxCarrier.STEPS.get(i)).put("message", SandboxCarrier.STEP_MESSAGES.get(i));
                d.put("datetime", purchased.plus(step.multipliedBy(i)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString());
                d.put("source", (String) row.get("carrier"));
                d.putObject("tracking_location").put("object", "TrackingLocation");
            }
        }
        return t;
    }

    /** How far the parcel has come: 0 (pre_transit) to 3 (delivered), one step per step time since purchase. */
    int stepIndex(Map<String, Object> row) {
        Instant purchased = instant(row.get("purchased_at"));
        if (purchased == null) {
            return 0;
        }
        long steps = Duration.between(purchased, clock.instant()).toMillis() / step.toMillis();
        return (int) Math.min(steps, SandboxCarrier.STEPS.size() - 1);
    }

    List<ObjectNode> rates(String id, String request) {
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

    JsonNode read(String text) {
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
