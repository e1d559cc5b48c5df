package io.orderhub.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.ingest.ReceiptStore;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderService;
import io.orderhub.security.Caller;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * "Where is order X and why is it stuck?" in one answer: the document it came from (receipt, with a
 * link to the raw bytes), every state change, what each outbound system last received, and the
 * dead letters that hold it up. A read model over the features' own tables.
 */
@Service
public class OrderJourney {

    private final OrderService orders;
    private final ReceiptStore receipts;
    private final NamedParameterJdbcTemplate jdbc;

    public OrderJourney(OrderService orders, ReceiptStore receipts, NamedParameterJdbcTemplate jdbc) {
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
        journey.put("events", orders.events(orderId, caller));
        MapSqlParameterSource id = new MapSqlParameterSource("orderId", orderId);
        journey.put("outbound", jdbc.queryForList("""
                select target, last_type as "lastEvent", last_status as "lastStatus", requests, synced_at as "syncedAt"
                from sync_state where order_id = :orderId order by target
                """, id));
        journey.put("deadLetters", jdbc.queryForList("""
                select id, target, event_type as "eventType", reason, http_status as "httpStatus", status, attempts,
                       created_at as "createdAt"
                from sync_dead_letters where order_id = :orderId order by id
                """, id));
        return journey;
    }

    /** The orders of a channel's own order number (normally one). */
    public List<String> findByExternalId(String channel, String externalId) {
        return jdbc.queryForList("select order_id from orders where channel = :channel and external_id = :externalId",
                new MapSqlParameterSource("channel", channel).addValue("externalId", externalId), String.class);
    }
}
