package io.orderhub.sandbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.ParallelWork;
import io.orderhub.shipping.WebhookSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Sends the sandbox carrier's tracking steps to the hub as signed tracker.updated webhooks, each step once. */
final class TrackingWebhooks {

    private static final Logger log = LoggerFactory.getLogger(SandboxCarrier.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration step;
    private final ParcelViews views;
    private final Supplier<String> base;
    private final String webhookUrl;
    private final String webhookSecret;
    private final boolean webhooks;
    /** The webhooks go as a carrier's would: over kept connections to the hub, one call per step. */
    private final io.orderhub.common.PartnerHttp http = new io.orderhub.common.PartnerHttp(Duration.ofSeconds(2));
    private final ParallelWork senders;

    TrackingWebhooks(NamedParameterJdbcTemplate jdbc, ObjectMapper json, Clock clock, Duration step, ParcelViews views,
                     Supplier<String> base, String webhookUrl, String webhookSecret, boolean webhooks,
                     int webhookConcurrency) {
        this.senders = new ParallelWork("sandbox-carrier-webhooks", webhookConcurrency);
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.step = step;
        this.views = views;
        this.base = base;
        this.webhookUrl = webhookUrl;
        this.webhookSecret = webhookSecret;
        this.webhooks = webhooks;
    }

    /** See {@link SandboxCarrier#tick()}. */
    void tick() {
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
                """, new MapSqlParameterSource("last", SandboxCarrier.STEPS.size()), rs -> {
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
            int reached = views.stepIndex(row) + 1;
            for (int rank = sent + 1; rank <= reached; rank++) {
                // the step is claimed for a while before it is sent, so the sandboxes of several instances send it
                // once, and no transaction is held while the hub answers; the sent rank moves only once the hub took
                // it, and the claim of an instance that died runs out, so the step is then sent again
                if (!claim(id, rank - 1)) {
                    break;
                }
                boolean sentNow = send(row, SandboxCarrier.STEPS.get(rank - 1));
                release(id, rank - 1, sentNow ? rank : rank - 1);
                if (!sentNow) {
                    break;
                }
            }
            return id;
        });
    }

    /** Claims the step after {@code sentRank} for {@link SandboxCarrier#SENDING_CLAIM}; false when it is sent or claimed already. */
    private boolean claim(String id, int sentRank) {
        Instant now = clock.instant();
        return jdbc.update("""
                update sandbox_carrier_shipments set sending_until = :until
                where id = (select id from sandbox_carrier_shipments where id = :id and sent_rank = :rank
                            and (sending_until is null or sending_until < :now) for update skip locked)
                """, new MapSqlParameterSource("id", id).addValue("rank", sentRank)
                .addValue("now", Timestamp.from(now)).addValue("until", Timestamp.from(now.plus(SandboxCarrier.SENDING_CLAIM)))) == 1;
    }

    /** Ends the claim, with the step counted as sent ({@code to} = the next rank) or not ({@code to} = {@code from}). */
    private void release(String id, int from, int to) {
        jdbc.update("""
                update sandbox_carrier_shipments set sent_rank = :to, sending_until = null where id = :id and sent_rank = :from
                """, new MapSqlParameterSource("id", id).addValue("from", from).addValue("to", to));
    }

    void close() {
        senders.close();
        http.close();
    }

    private boolean send(Map<String, Object> row, String status) {
        ObjectNode tracker = views.tracker(row);
        tracker.put("status", status);
        // the event tells this step: its details end with it (later steps come with their own events)
        var details = (com.fasterxml.jackson.databind.node.ArrayNode) tracker.path("tracking_details");
        while (details.size() > SandboxCarrier.STEPS.indexOf(status) + 1) {
            details.remove(details.size() - 1);
        }
        ObjectNode event = json.createObjectNode();
        event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        event.put("object", "Event").put("mode", "test").put("description", "tracker.updated");
        event.put("created_at", clock.instant().toString());
        event.set("result", tracker);
        String text = event.toString();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String url = webhookUrl == null || webhookUrl.isBlank() ? base.get() + "/api/webhooks/carriers/easypost" : webhookUrl;
        try {
            // the body goes as these bytes (PartnerHttp sends text as UTF-8): the signature is over them
            int answered = http.send("POST", URI.create(url), Duration.ofSeconds(10), Map.of(
                    "Content-Type", "application/json",
                    WebhookSignature.HEADER, WebhookSignature.sign(webhookSecret, body)), text).statusCode();
            if (answered / 100 != 2) {
                log.info("sandbox carrier: webhook for {} answered {}", row.get("id"), answered);
                return false;
            }
            return true;
        } catch (java.io.IOException e) {
            log.info("sandbox carrier: webhook for {} failed: {}", row.get("id"), e.toString());
            return false;
        }
    }
}
