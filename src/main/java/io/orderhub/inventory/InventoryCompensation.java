package io.orderhub.inventory;

import java.util.Comparator;
import java.util.List;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderCompensation;
import io.orderhub.order.OrderStatus;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Cancellation releases whatever the order holds, in the cancellation's transaction: its
 * reservations, and the allocations of shipments not yet packed (those shipments are cancelled).
 * Units already packed have left the shelf and are not put back here.
 */
@Component
public class InventoryCompensation implements OrderCompensation {

    private final StockRepository stock;
    private final Holdings holdings;
    private final NamedParameterJdbcTemplate jdbc;

    public InventoryCompensation(StockRepository stock, Holdings holdings, NamedParameterJdbcTemplate jdbc) {
        this.stock = stock;
        this.holdings = holdings;
        this.jdbc = jdbc;
    }

    @Override
    public void compensate(CanonicalOrder order, OrderStatus cancelledFrom, String reason) {
        String orderId = order.orderId();
        String why = "order " + orderId + " cancelled: " + reason;
        List<Holdings.Held> reserved = sorted(holdings.reservations(orderId));
        for (Holdings.Held h : reserved) {
            if (!stock.release(h.sku(), h.warehouse(), h.quantity(), orderId, why)) {
                throw new IllegalStateException("reservation of " + orderId + " for " + h.sku() + " in " + h.warehouse()
                        + " is not on the stock row");
            }
        }
        holdings.deleteReservations(orderId);
        for (Holdings.Held h : sorted(holdings.openAllocations(orderId))) {
            if (!stock.deallocate(h.sku(), h.warehouse(), h.quantity(), orderId, why)) {
                throw new IllegalStateException("allocation of " + orderId + " for " + h.sku() + " in " + h.warehouse()
                        + " is not on the stock row");
            }
        }
        jdbc.update("update shipments set status = 'CANCELLED' where order_id = :id and status = 'PICKING'",
                new MapSqlParameterSource("id", orderId));
    }

    private static List<Holdings.Held> sorted(List<Holdings.Held> held) {
        return held.stream().sorted(Comparator.comparing(Holdings.Held::sku).thenComparing(Holdings.Held::warehouse)).toList();
    }
}
