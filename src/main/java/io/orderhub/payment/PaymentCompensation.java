package io.orderhub.payment;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderCompensation;
import io.orderhub.order.OrderStatus;
import org.springframework.stereotype.Component;

/**
 * A cancellation after a card charge records its refund, in the cancellation's transaction: one
 * REFUND row per order (its idempotency key {@code orderhub-<orderId>-refund-1} is unique), which
 * the refund stage sends to the gateway with that key. A cancel sent twice is refused the second
 * time (409) and could not record a second refund anyway.
 */
@Component
public class PaymentCompensation implements OrderCompensation {

    private final PaymentRepository payments;

    public PaymentCompensation(PaymentRepository payments) {
        this.payments = payments;
    }

    /** {@code refund: {amount, currency, method}} when a card charge succeeded (the refund the cancellation records). */
    @Override
    public java.util.Map<String, Object> cancellationData(CanonicalOrder order, OrderStatus cancelledFrom) {
        java.math.BigDecimal amount = java.math.BigDecimal.ZERO;
        String currency = null;
        String method = null;
        for (Payment p : payments.byOrder(order.orderId())) {
            if (Payment.CHARGE.equals(p.kind()) && Payment.SUCCEEDED.equals(p.status())) {
                amount = amount.add(p.amount());
                currency = p.currency();
                method = p.method();
            }
        }
        if (currency == null) {
            return java.util.Map.of();
        }
        return java.util.Map.of("refund", java.util.Map.of("amount", amount, "currency", currency, "method", method));
    }

    @Override
    public void compensate(CanonicalOrder order, OrderStatus cancelledFrom, String reason) {
        for (Payment p : payments.byOrder(order.orderId())) {
            if (Payment.CHARGE.equals(p.kind()) && Payment.SUCCEEDED.equals(p.status())) {
                payments.insert(order.orderId(), Payment.REFUND, p.gateway(), p.method(), 1,
                        PaymentService.refundKey(order.orderId(), 1), p.amount(), p.amountMinor(), p.currency(),
                        Payment.PENDING, null, p.intentId());
            }
        }
    }
}
