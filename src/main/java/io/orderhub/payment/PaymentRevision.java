package io.orderhub.payment;

import java.util.List;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRevision;
import io.orderhub.order.RevisionRefused;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * A document replacing an order is refused once a payment has been started for it (a charge sent or
 * succeeded, a prepaid reference recorded, credit approved): the hub does not re-charge the difference or
 * part-refund for a changed order. Before that nothing is held, and the payment stage charges the stored
 * (replaced) total when the order is confirmed.
 */
@Component
@Order(0)
public class PaymentRevision implements OrderRevision {

    private final PaymentRepository payments;

    public PaymentRevision(PaymentRepository payments) {
        this.payments = payments;
    }

    @Override
    public void foresee(CanonicalOrder current, CanonicalOrder replacement) {
        revise(current, replacement); // it only reads the payments
    }

    @Override
    public void revise(CanonicalOrder current, CanonicalOrder replacement) {
        List<Payment> started = payments.byOrder(current.orderId());
        if (!started.isEmpty()) {
            Payment p = started.get(started.size() - 1);
            throw new RevisionRefused("order " + current.orderId() + " has a " + p.kind().toLowerCase(java.util.Locale.ROOT)
                    + " of " + p.amount().toPlainString() + " " + p.currency() + " (" + p.status() + ") by " + p.method()
                    + "; the hub does not re-charge or part-refund for a changed order, so it can no longer be replaced;"
                    + " cancel it and send a new order under a new order number");
        }
    }
}
