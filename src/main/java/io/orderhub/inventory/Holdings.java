package io.orderhub.inventory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** What orders hold: reservations (confirmed) and allocations (paid, per shipment line). */
@Repository
public class Holdings {

    /** Units of one order line held in one warehouse. */
    public record Held(String orderId, int lineNo, String sku, String warehouse, int quantity) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public Holdings(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void addReservation(Held h, Instant at) {
        jdbc.update("""
                insert into reservations (order_id, line_no, sku, warehouse_id, quantity, created_at)
                values (:orderId, :lineNo, :sku, :warehouse, :quantity, :at)
                """, params(h).addValue("at", Timestamp.from(at)));
    }

    public List<Held> reservations(String orderId) {
        return jdbc.query("""
                select order_id, line_no, sku, warehouse_id, quantity from reservations where order_id = :id
                order by sku, warehouse_id, line_no
                """, new MapSqlParameterSource("id", orderId), (rs, i) -> held(rs));
    }

    public void deleteReservations(String orderId) {
        jdbc.update("delete from reservations where order_id = :id", new MapSqlParameterSource("id", orderId));
    }

    public void addAllocation(String shipmentId, Held h) {
        jdbc.update("""
                insert into allocations (shipment_id, order_id, line_no, sku, warehouse_id, quantity)
                values (:shipmentId, :orderId, :lineNo, :sku, :warehouse, :quantity)
                """, params(h).addValue("shipmentId", shipmentId));
    }

    /** Allocations of the order's shipments that have not left the warehouse (status PICKING). */
    public List<Held> openAllocations(String orderId) {
        return jdbc.query("""
                select a.order_id, a.line_no, a.sku, a.warehouse_id, a.quantity from allocations a
                join shipments s on s.shipment_id = a.shipment_id
                where a.order_id = :id and s.status = 'PICKING' order by a.sku, a.warehouse_id, a.line_no
                """, new MapSqlParameterSource("id", orderId), (rs, i) -> held(rs));
    }

    public List<Held> allocationsOf(String shipmentId) {
        return jdbc.query("""
                select order_id, line_no, sku, warehouse_id, quantity from allocations where shipment_id = :id
                order by line_no
                """, new MapSqlParameterSource("id", shipmentId), (rs, i) -> held(rs));
    }

    /** Confirmed orders whose reservations were made before {@code cutoff}, oldest first. */
    public List<String> confirmedBefore(Instant cutoff, int limit) {
        return jdbc.query("""
                select r.order_id from reservations r join orders o on o.order_id = r.order_id
                where o.status = 'CONFIRMED' group by r.order_id having min(r.created_at) < :cutoff
                order by min(r.created_at) limit :limit
                """, new MapSqlParameterSource("cutoff", Timestamp.from(cutoff)).addValue("limit", limit),
                (rs, i) -> rs.getString(1));
    }

    /** BACKORDERED orders with a line for this SKU, first come first served. */
    public List<String> backorderedFor(String sku) {
        return jdbc.query("""
                select o.order_id from orders o where o.status = 'BACKORDERED'
                  and exists (select 1 from order_lines l where l.order_id = o.order_id and l.sku = :sku)
                order by o.received_at, o.order_id
                """, new MapSqlParameterSource("sku", sku), (rs, i) -> rs.getString(1));
    }

    /** Marks the event as handled by {@code consumer}; false when it already was. */
    public boolean firstTime(String consumer, String eventId, Instant at) {
        int n = jdbc.update("""
                insert into processed_events (consumer, event_id, processed_at)
                select :consumer, :eventId, :at where not exists
                  (select 1 from processed_events where consumer = :consumer and event_id = :eventId)
                """, new MapSqlParameterSource("consumer", consumer).addValue("eventId", eventId)
                .addValue("at", Timestamp.from(at)));
        return n == 1;
    }

    private static MapSqlParameterSource params(Held h) {
        return new MapSqlParameterSource("orderId", h.orderId()).addValue("lineNo", h.lineNo()).addValue("sku", h.sku())
                .addValue("warehouse", h.warehouse()).addValue("quantity", h.quantity());
    }

    private static Held held(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Held(rs.getString("order_id"), rs.getInt("line_no"), rs.getString("sku"), rs.getString("warehouse_id"),
                rs.getInt("quantity"));
    }
}
