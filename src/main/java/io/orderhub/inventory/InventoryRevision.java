package io.orderhub.inventory;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRevision;
import io.orderhub.order.OrderStatus;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * A document replacing an order's lines: a CONFIRMED or PAID order's reservations are given back and the new lines
 * reserved, all or nothing (short stock refuses the replacement). A CREATED or BACKORDERED order holds no
 * stock yet; the reservation stage reserves the lines it finds stored when it gets to the order.
 */
@Component
@Order(10)
public class InventoryRevision implements OrderRevision {

    private final ReservationService reservations;

    public InventoryRevision(ReservationService reservations) {
        this.reservations = reservations;
    }

    @Override
    public void revise(CanonicalOrder current, CanonicalOrder replacement) {
        if (current.status() == OrderStatus.CONFIRMED || current.status() == OrderStatus.PAID) {
            reservations.reserveReplacement(replacement);
        }
    }

    @Override
    public void foresee(CanonicalOrder current, CanonicalOrder replacement) {
        if (current.status() == OrderStatus.CONFIRMED || current.status() == OrderStatus.PAID) {
            reservations.foreseeReplacement(replacement);
        }
    }
}
