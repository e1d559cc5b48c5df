package io.orderhub.payment;

import java.math.BigDecimal;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.payment.PaymentService.Result;

/**
 * One way of paying an order ({@code payment.method}: card, prepaid, invoice): takes payment for a CONFIRMED
 * order as read, or cancels it with the reason. Every write of the decision first locks the order's row and
 * checks it is still as read ({@link PaymentDecisions#stillAsRead}), else throws
 * {@link PaymentService.OrderChangedMeanwhile} and the decision starts again.
 */
interface PaymentMethod {

    /** The {@code payment.method} this handles, lower case. */
    String method();

    /** Decides the payment of {@code order} for the stage's event {@code eventId}; {@code amount} is its grand total. */
    Result take(String eventId, CanonicalOrder order, CanonicalOrder.Payment payment, BigDecimal amount);
}
