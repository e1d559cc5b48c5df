package io.orderhub.payment;

import java.math.BigDecimal;
import java.util.List;

/**
 * The rule that holds across an order's cancellation and all its returns: the money given back never exceeds
 * the money taken. What was taken: successful charges, prepaid references and approved invoices. What was given
 * back: every refund row that has not failed (pending ones count, they are on their way). A new refund is cut to
 * what is left; nothing is left, nothing is refunded.
 */
public final class RefundLimit {

    private RefundLimit() {
    }

    /** What was taken for the order. */
    public static BigDecimal captured(List<Payment> rows) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Payment p : rows) {
            if (!Payment.REFUND.equals(p.kind()) && Payment.SUCCEEDED.equals(p.status())) {
                sum = sum.add(p.amount());
            }
        }
        return sum;
    }

    /** What was given back or is on its way back (refund rows that did not fail). */
    public static BigDecimal refunded(List<Payment> rows) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Payment p : rows) {
            if (Payment.REFUND.equals(p.kind()) && !Payment.FAILED.equals(p.status()) && !Payment.DECLINED.equals(p.status())) {
                sum = sum.add(p.amount());
            }
        }
        return sum;
    }

    /** What may still be refunded: captured − refunded, never below zero. */
    public static BigDecimal refundable(List<Payment> rows) {
        return cap(captured(rows), refunded(rows), null);
    }

    /** {@code wanted} cut to what is left of {@code captured} after {@code refunded} (null wanted: all that is left). */
    public static BigDecimal cap(BigDecimal captured, BigDecimal refunded, BigDecimal wanted) {
        BigDecimal left = captured.subtract(refunded);
        if (left.signum() <= 0) {
            return BigDecimal.ZERO;
        }
        if (wanted == null) {
            return left;
        }
        if (wanted.signum() <= 0) {
            return BigDecimal.ZERO;
        }
        return wanted.min(left);
    }
}
