package io.orderhub.payment;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderCompensation;
import io.orderhub.order.OrderStatus;
import org.springframework.stereotype.Component;

/**
 * A cancellation after a card charge records its refund, in the cancellation's transaction: what is left of
 * the charges after the refunds of returns ({@link RefundLimit}), one REFUND row per charge of the order (keys
 * {@code orderhub-<orderId>-refund-1}, {@code -refund-2} for a replacement's difference charge, ...; unique), each
 * for at most what is left of its charge ({@link ChargeShares}), which the refund stage sends to the gateway with
 * that key. A cancel sent twice is refused the second
 * time (409) and could not record a second refund anyway.
 */
@Component
public class PaymentCompensation implements OrderCompensation {

    private final PaymentRepository payments;

    public PaymentCompensation(PaymentRepository payments) {
        this.payments = payments;
    }

    /**
     * {@code refund: {amount, currency, method}} when a card charge succeeded: what is left of it after the refunds
     * of returns ({@link RefundLimit}), the refund the cancellation records.
     */
    @Override
    public java.util.Map<String, Object> cancellationData(CanonicalOrder order, OrderStatus cancelledFrom) {
        java.util.List<Payment> rows = payments.byOrder(order.orderId());
        Payment charge = lastCardCharge(rows);
        if (charge == null) {
            return java.util.Map.of();
        }
        java.math.BigDecimal amount = RefundLimit.refundable(rows);
        return java.util.Map.of("refund", java.util.Map.of("amount", amount, "currency", charge.currency(), "method",
                charge.method()));
    }

    @Override
    public void compensate(CanonicalOrder order, OrderStatus cancelledFrom, String reason) {
        java.util.List<Payment> rows = payments.byOrder(order.orderId());
        Payment charge = lastCardCharge(rows);
        java.math.BigDecimal left = RefundLimit.refundable(rows);
        if (charge == null || left.signum() <= 0) {
            return; // nothing taken by card, or returns gave it all back already
        }
        // one refund per charge (the first one and a replacement's difference): refund-1, refund-2, ...
        int i = 1;
        for (ChargeShares.Share share : ChargeShares.split(rows, left)) {
            Payment c = share.charge();
            payments.insert(order.orderId(), Payment.REFUND, c.gateway(), c.method(), i,
                    PaymentService.refundKey(order.orderId(), i), share.amount(), MinorUnits.toMinor(share.amount(),
                            c.currency()), c.currency(), Payment.PENDING, null, c.intentId());
            i++;
        }
    }

    private static Payment lastCardCharge(java.util.List<Payment> rows) {
        Payment last = null;
        for (Payment p : rows) {
            if (Payment.CHARGE.equals(p.kind()) && Payment.SUCCEEDED.equals(p.status())) {
                last = p;
            }
        }
        return last;
    }
}
