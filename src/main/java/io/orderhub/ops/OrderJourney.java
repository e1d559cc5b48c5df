package io.orderhub.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.ingest.ReceiptStore;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.MoneyForm;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.OrderService;
import io.orderhub.security.Caller;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * "Where is order X and why is it stuck?" in one answer: the document it came from (receipt, with a
 * link to the raw bytes), every state change and the time spent in each status, the payment gateway
 * requests and parcels with their outcome and attempts, the mails sent, what each outbound system
 * last received, and the dead letters that hold it up. A read model over the features' own tables.
 */
@Service
public class OrderJourney {

    private final OrderService orders;
    private final ReceiptStore receipts;
    private final NamedParameterJdbcTemplate jdbc;
    private final java.time.Clock clock;

    public OrderJourney(OrderService orders, ReceiptStore receipts, NamedParameterJdbcTemplate jdbc,
                        java.time.Clock clock) {
        this.clock = clock;
        this.orders = orders;
        this.receipts = receipts;
        this.jdbc = jdbc;
    }

    public Map<String, Object> of(String orderId, Caller caller) {
        CanonicalOrder order = orders.get(orderId, caller);
        Map<String, Object> journey = new LinkedHashMap<>();
        journey.put("orderId", order.orderId());
        journey.put("channel", order.channel());
        journey.put("externalId", order.externalId());
        journey.put("status", order.status());
        String receiptId = order.source() == null ? null : order.source().receiptId();
        receipts.find(receiptId).ifPresent(r -> {
            Map<String, Object> receipt = new LinkedHashMap<>();
            receipt.put("receiptId", r.receiptId());
            receipt.put("via", r.via());
            receipt.put("format", r.format());
            receipt.put("receivedAt", r.receivedAt());
            receipt.put("status", r.status());
            receipt.put("attempts", r.attempts());
            receipt.put("content", "/api/receipts/" + r.receiptId() + "/content");
            journey.put("receipt", receipt);
        });
        List<OrderEvent> events = orders.events(orderId, caller);
        journey.put("events", events);
        journey.put("stages", stages(events));
        MapSqlParameterSource id = new MapSqlParameterSource("orderId", orderId);
        // outbound calls: gateway requests with their outcome and how long each took to settle
        List<Map<String, Object>> payments = jdbc.queryForList("""
                select kind, gateway, method, attempt, status, decline_code as "declineCode", message,
                       amount, currency, created_at as "createdAt", updated_at as "updatedAt"
                from payments where order_id = :orderId order by payment_id
                """, id);
        // the column's four decimals (51.1900) shown as the order shows money (51.19)
        payments.forEach(p -> p.computeIfPresent("amount", (k, amount) -> MoneyForm.amount(
                ((java.math.BigDecimal) amount).stripTrailingZeros(), (String) p.get("currency"))));
        journey.put("payments", payments);
        journey.put("parcels", jdbc.queryForList("""
                select shipment_id as "shipmentId", carrier, service, tracking_code as "trackingNumber", state,
                       tracking_status as "trackingStatus", message, attempts, created_at as "createdAt",
                       updated_at as "updatedAt", delivered_at as "deliveredAt"
                from parcels where order_id = :orderId order by shipment_id
                """, id));
        // mails to the customer (the address itself stays out of the answer)
        journey.put("notifications", jdbc.queryForList("""
                select event_type as "eventType", recipient_kind as "recipientKind", locale, subject, status, attempts,
                       created_at as "createdAt", updated_at as "updatedAt"
                from notifications where order_id = :orderId order by created_at
                """, id));
        journey.put("outbound", jdbc.queryForList("""
                select target, last_type as "lastEvent", last_status as "lastStatus", requests, synced_at as "syncedAt"
                from sync_state where order_id = :orderId order by target
                """, id));
        // the partner documents made for the order (docs/b2b-outbound.md): where each stands, not its bytes
        journey.put("partnerDocuments", jdbc.queryForList("""
                select document_id as "documentId", doc_type as "type", standard, control_number as "controlNumber",
                       status, transport, created_at as "createdAt", sent_at as "sentAt",
                       acknowledged_at as "acknowledgedAt", ack_reason as "reason"
                from outbound_documents where order_id = :orderId order by created_at, document_id
                """, id));
        journey.put("deadLetters", jdbc.queryForList("""
                select id, target, event_type as "eventType", reason, http_status as "httpStatus", status, attempts,
                       created_at as "createdAt"
                from sync_dead_letters where order_id = :orderId order by id
                """, id));
        return journey;
    }

    /**
     * Each status the order has been in, in order: when it entered, when it left (null: still there)
     * and the seconds it stayed (up to now for the current one).
     */
    List<Map<String, Object>> stages(List<OrderEvent> events) {
        List<Map<String, Object>> stages = new java.util.ArrayList<>();
        List<OrderEvent> changes = events.stream().filter(e -> e.toStatus() != null
                && (e.fromStatus() == null || e.fromStatus() != e.toStatus())).toList();
        for (int i = 0; i < changes.size(); i++) {
            OrderEvent e = changes.get(i);
            java.time.Instant left = i + 1 < changes.size() ? changes.get(i + 1).at() : null;
            java.time.Instant until = left == null ? clock.instant() : left;
            Map<String, Object> stage = new LinkedHashMap<>();
            stage.put("status", e.toStatus());
            stage.put("enteredAt", e.at());
            stage.put("leftAt", left);
            stage.put("seconds", java.time.Duration.between(e.at(), until).toMillis() / 1000.0);
            stages.add(stage);
        }
        return stages;
    }

    /** The orders of a channel's own order number (normally one). */
    public List<String> findByExternalId(String channel, String externalId) {
        return jdbc.queryForList("select order_id from orders where channel = :channel and external_id = :externalId",
                new MapSqlParameterSource("channel", channel).addValue("externalId", externalId), String.class);
    }
}
