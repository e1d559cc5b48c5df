package io.orderhub.inventory;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Stock rows and their ledger. Every change is one conditional UPDATE (the condition is the rule,
 * checked by the database on the row it locks, so two transactions never both take the last unit)
 * followed by a ledger entry with the same deltas. A method returns false when its condition did
 * not hold and then changed nothing. Must run inside the caller's transaction.
 */
@Repository
public class StockRepository {

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public StockRepository(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Creates the row with zero stock unless it exists (product and warehouse must exist). */
    public void ensureRow(String sku, String warehouse) {
        jdbc.update("""
                insert into stock (sku, warehouse_id, updated_at)
                select :sku, :warehouse, :now where not exists
                  (select 1 from stock where sku = :sku and warehouse_id = :warehouse)
                """, params(sku, warehouse));
    }

    /** Reserves {@code quantity} when that much is available to promise (above safety stock). */
    public boolean reserve(String sku, String warehouse, int quantity, String orderId) {
        int n = jdbc.update("""
                update stock set reserved = reserved + :q, updated_at = :now
                where sku = :sku and warehouse_id = :warehouse
                  and on_hand - reserved - allocated - safety_stock >= :q
                """, params(sku, warehouse).addValue("q", quantity));
        return n == 1 && ledger(sku, warehouse, Movement.RESERVE, 0, quantity, 0, orderId, null);
    }

    public boolean release(String sku, String warehouse, int quantity, String orderId, String reason) {
        int n = jdbc.update("""
                update stock set reserved = reserved - :q, updated_at = :now
                where sku = :sku and warehouse_id = :warehouse and reserved >= :q
                """, params(sku, warehouse).addValue("q", quantity));
        return n == 1 && ledger(sku, warehouse, Movement.RELEASE, 0, -quantity, 0, orderId, reason);
    }

    /**
     * Turns {@code fromReserved} units of this order's reservation here into {@code quantity} allocated
     * units; any extra units beyond the reservation must be available to promise.
     */
    public boolean allocate(String sku, String warehouse, int quantity, int fromReserved, String orderId) {
        int extra = Math.max(0, quantity - fromReserved);
        int n = jdbc.update("""
                update stock set reserved = reserved - :r, allocated = allocated + :q, updated_at = :now
                where sku = :sku and warehouse_id = :warehouse and reserved >= :r
                  and on_hand - reserved - allocated - safety_stock >= :extra
                """, params(sku, warehouse).addValue("q", quantity).addValue("r", fromReserved).addValue("extra", extra));
        return n == 1 && ledger(sku, warehouse, Movement.ALLOCATE, 0, -fromReserved, quantity, orderId, null);
    }

    public boolean deallocate(String sku, String warehouse, int quantity, String orderId, String reason) {
        int n = jdbc.update("""
                update stock set allocated = allocated - :q, updated_at = :now
                where sku = :sku and warehouse_id = :warehouse and allocated >= :q
                """, params(sku, warehouse).addValue("q", quantity));
        return n == 1 && ledger(sku, warehouse, Movement.DEALLOCATE, 0, 0, -quantity, orderId, reason);
    }

    /** Packed units leave the shelf: on hand and allocated both go down. */
    public boolean pick(String sku, String warehouse, int quantity, String orderId, String shipmentId) {
        int n = jdbc.update("""
                update stock set allocated = allocated - :q, on_hand = on_hand - :q, updated_at = :now
                where sku = :sku and warehouse_id = :warehouse and allocated >= :q and on_hand >= :q
                """, params(sku, warehouse).addValue("q", quantity));
        return n == 1 && ledger(sku, warehouse, Movement.PICK, -quantity, 0, -quantity, orderId, "packed " + shipmentId);
    }

    /** Returned units back on the shelf: on hand goes up by {@code quantity} (ledger RETURN). */
    public boolean restock(String sku, String warehouse, int quantity, String orderId, String reason) {
        ensureRow(sku, warehouse);
        int n = jdbc.update("""
                update stock set on_hand = on_hand + :q, updated_at = :now where sku = :sku and warehouse_id = :warehouse
                """, params(sku, warehouse).addValue("q", quantity));
        return n == 1 && ledger(sku, warehouse, Movement.RETURN, quantity, 0, 0, orderId, reason);
    }

    /** Returned damaged units into the quarantine bucket (ledger QUARANTINE); they are not available to promise. */
    public boolean quarantine(String sku, String warehouse, int quantity, String orderId, String reason) {
        ensureRow(sku, warehouse);
        int n = jdbc.update("""
                update stock set quarantined = quarantined + :q, updated_at = :now
                where sku = :sku and warehouse_id = :warehouse
                """, params(sku, warehouse).addValue("q", quantity));
        if (n != 1) {
            return false;
        }
        jdbc.update("""
                insert into stock_ledger (at, sku, warehouse_id, movement, quarantined_delta, order_id, reason)
                values (:now, :sku, :warehouse, 'QUARANTINE', :q, :orderId, :reason)
                """, params(sku, warehouse).addValue("q", quantity).addValue("orderId", orderId)
                .addValue("reason", reason == null ? null : reason.length() > 500 ? reason.substring(0, 500) : reason));
        return true;
    }

    /** Units of this SKU in quarantine, per warehouse. */
    public java.util.Map<String, Integer> quarantined(String sku) {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        jdbc.query("select warehouse_id, quarantined from stock where sku = :sku", new MapSqlParameterSource("sku", sku),
                rs -> {
                    out.put(rs.getString(1), rs.getInt(2));
                });
        return out;
    }

    /**
     * Sets on hand to {@code onHand} when that still covers what is reserved and allocated; records
     * RECEIVE for an increase and ADJUST for a decrease.
     */
    public boolean setOnHand(String sku, String warehouse, int onHand, String reason) {
        Optional<StockRow> row = lock(sku, warehouse);
        if (row.isEmpty() || row.get().reserved() + row.get().allocated() > onHand) {
            return false;
        }
        int delta = onHand - row.get().onHand();
        if (delta == 0) {
            return true;
        }
        int n = jdbc.update("""
                update stock set on_hand = :onHand, updated_at = :now
                where sku = :sku and warehouse_id = :warehouse and reserved + allocated <= :onHand
                """, params(sku, warehouse).addValue("onHand", onHand));
        return n == 1 && ledger(sku, warehouse, delta > 0 ? Movement.RECEIVE : Movement.ADJUST, delta, 0, 0, null, reason);
    }

    public void setSafetyStock(String sku, String warehouse, int safetyStock) {
        jdbc.update("update stock set safety_stock = :s, updated_at = :now where sku = :sku and warehouse_id = :warehouse",
                params(sku, warehouse).addValue("s", safetyStock));
    }

    /** Locks the row for the rest of the transaction. */
    public Optional<StockRow> lock(String sku, String warehouse) {
        return jdbc.query("""
                select sku, warehouse_id, on_hand, reserved, allocated, safety_stock from stock
                where sku = :sku and warehouse_id = :warehouse for update
                """, params(sku, warehouse), (rs, i) -> row(rs)).stream().findFirst();
    }

    /** Locks the rows of these SKUs in a fixed order (sku, warehouse), so transactions never deadlock. */
    public List<StockRow> lockAll(Collection<String> skus) {
        if (skus.isEmpty()) {
            return List.of();
        }
        return jdbc.query("""
                select sku, warehouse_id, on_hand, reserved, allocated, safety_stock from stock
                where sku in (:skus) order by sku, warehouse_id for update
                """, new MapSqlParameterSource("skus", skus), (rs, i) -> row(rs));
    }

    /** The rows of these SKUs as committed now, without locking them. */
    public List<StockRow> read(Collection<String> skus) {
        if (skus.isEmpty()) {
            return List.of();
        }
        return jdbc.query("""
                select sku, warehouse_id, on_hand, reserved, allocated, safety_stock from stock
                where sku in (:skus) order by sku, warehouse_id
                """, new MapSqlParameterSource("skus", skus), (rs, i) -> row(rs));
    }

    public List<StockRow> rows(String sku) {
        return jdbc.query("""
                select sku, warehouse_id, on_hand, reserved, allocated, safety_stock from stock
                where sku = :sku order by warehouse_id
                """, new MapSqlParameterSource("sku", sku), (rs, i) -> row(rs));
    }

    private boolean ledger(String sku, String warehouse, Movement movement, int onHand, int reserved, int allocated,
                           String orderId, String reason) {
        jdbc.update("""
                insert into stock_ledger (at, sku, warehouse_id, movement, on_hand_delta, reserved_delta,
                                          allocated_delta, order_id, reason)
                values (:now, :sku, :warehouse, :movement, :onHand, :reserved, :allocated, :orderId, :reason)
                """, params(sku, warehouse).addValue("movement", movement.name()).addValue("onHand", onHand)
                .addValue("reserved", reserved).addValue("allocated", allocated).addValue("orderId", orderId)
                .addValue("reason", reason == null ? null : reason.length() > 500 ? reason.substring(0, 500) : reason));
        return true;
    }

    private MapSqlParameterSource params(String sku, String warehouse) {
        return new MapSqlParameterSource("sku", sku).addValue("warehouse", warehouse)
                .addValue("now", Timestamp.from(clock.instant()));
    }

    private static StockRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StockRow(rs.getString("sku"), rs.getString("warehouse_id"), rs.getInt("on_hand"), rs.getInt("reserved"),
                rs.getInt("allocated"), rs.getInt("safety_stock"));
    }
}
