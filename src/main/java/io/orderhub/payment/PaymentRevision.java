package io.orderhub.payment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRevision;
import io.orderhub.order.RevisionRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The payment side of a document replacing or changing an order (issue 18: "payment adjusted"). Before any payment
 * nothing is held: the payment stage charges the stored (replaced) total when the order is confirmed. Once paid
 * (status PAID, not yet allocated; {@code OrderAmendments.REPLACEABLE}) the difference is settled:
 * <ul>
 *   <li>the same grand total: nothing to do;</li>
 *   <li>a lower grand total: the over-capture (what is held − the new total) is refunded exactly once, in the
 *       replacement's transaction: a card charge through its own gateway (a REFUND row, PENDING, key
 *       {@code orderhub-<orderId>-revision-<receiptId>}, sent after the commit and, if the gateway is unavailable, by
 *       the pending-payments job with the same key), a prepaid or invoice order by a credit note (SUCCEEDED at once,
 *       as a return's refund). What is held = what was captured − what was refunded ({@link RefundLimit}), so a
 *       later cancellation or return refunds only what is left;</li>
 *   <li>a higher grand total: refused, naming both amounts. The hub does not charge a buyer's card again, or collect
 *       more on a prepaid reference or an approved invoice credit, without a new authorisation: the buyer cancels and
 *       sends a new order, or orders the extra separately;</li>
 *   <li>a payment still in progress (a charge PENDING at its gateway) or none that succeeded (declined, failed):
 *       refused, naming it; the change can be sent again when the payment has settled.</li>
 * </ul>
 */
@Component
@Order(0)
public class PaymentRevision implements OrderRevision {

    private static final Logger log = LoggerFactory.getLogger(PaymentRevision.class);

    private final PaymentRepository payments;
    private final Refunds refunds;

    public PaymentRevision(PaymentRepository payments, Refunds refunds) {
        this.payments = payments;
        this.refunds = refunds;
    }

    /** The idempotency key of the refund a replacement document (by its receipt) gives for an order. */
    public static String revisionRefundKey(String orderId, String receiptId) {
        return "orderhub-" + orderId + "-revision-" + receiptId;
    }

    @Override
    public void foresee(CanonicalOrder current, CanonicalOrder replacement) {
        difference(current, replacement, payments.byOrder(current.orderId()));
    }

    @Override
    public void revise(CanonicalOrder current, CanonicalOrder replacement) {
        List<Payment> rows = payments.byOrder(current.orderId());
        BigDecimal over = difference(current, replacement, rows);
        if (over == null || over.signum() <= 0) {
            return;
        }
        Payment taken = null;
        for (Payment p : rows) {
            if (!Payment.REFUND.equals(p.kind()) && Payment.SUCCEEDED.equals(p.status())) {
                taken = p;
            }
        }
        String receipt = replacement.source() == null || replacement.source().receiptId() == null
                ? "n" + rows.size() : replacement.source().receiptId();
        String key = revisionRefundKey(current.orderId(), receipt);
        String orderId = current.orderId();
        if (Payment.CHARGE.equals(taken.kind())) {
            payments.insert(orderId, Payment.REFUND, taken.gateway(), taken.method(), 1, key, over,
                    MinorUnits.toMinor(over, taken.currency()), taken.currency(), Payment.PENDING, null, taken.intentId());
            afterCommit(() -> {
                try {
                    log.info("refund of the over-capture of replaced order {}: {}", orderId, refunds.refundOrder(orderId));
                } catch (RuntimeException e) {
                    log.warn("refund of replaced order {} left PENDING for the pending-payments job: {}", orderId,
                            e.getMessage());
                }
            });
        } else if (payments.insert(orderId, Payment.REFUND, "credit-note", taken.method(), 1, key, over,
                MinorUnits.toMinor(over, taken.currency()), taken.currency(), Payment.SUCCEEDED, taken.reference(), null)) {
            payments.finish(payments.byKey(key).orElseThrow().paymentId(), Payment.SUCCEEDED, Payment.SUCCEEDED, null,
                    null, null, "settled by a credit note (" + taken.kind().toLowerCase(Locale.ROOT)
                            + " order replaced with a lower total)");
        }
    }

    /**
     * What is held beyond the replacement's grand total (positive: to refund; zero: nothing to do); null when no
     * payment was started. Throws {@link RevisionRefused} for a payment in progress or not taken, and for a
     * higher total than what is held.
     */
    private static BigDecimal difference(CanonicalOrder current, CanonicalOrder replacement, List<Payment> rows) {
        if (rows.isEmpty()) {
            return null;
        }
        String orderId = current.orderId();
        for (Payment p : rows) {
            if (!Payment.REFUND.equals(p.kind()) && Payment.PENDING.equals(p.status())) {
                throw new RevisionRefused("order " + orderId + " has a " + p.kind().toLowerCase(Locale.ROOT) + " of "
                        + p.amount().toPlainString() + " " + p.currency() + " in progress (PENDING) by " + p.method()
                        + "; it can be replaced once the payment has settled: send the document again then");
            }
        }
        BigDecimal captured = RefundLimit.captured(rows);
        if (captured.signum() <= 0) {
            Payment p = rows.get(rows.size() - 1);
            throw new RevisionRefused("order " + orderId + " has a " + p.kind().toLowerCase(Locale.ROOT) + " of "
                    + p.amount().toPlainString() + " " + p.currency() + " (" + p.status() + ") by " + p.method()
                    + " and no payment taken; it cannot be replaced until its payment is settled");
        }
        BigDecimal held = captured.subtract(RefundLimit.refunded(rows)).setScale(2, RoundingMode.HALF_UP);
        BigDecimal next = replacement.totals() == null || replacement.totals().grandTotal() == null ? null
                : replacement.totals().grandTotal().setScale(2, RoundingMode.HALF_UP);
        if (next == null) {
            throw new RevisionRefused("the replacement of order " + orderId + " has no grand total to settle the"
                    + " payment against");
        }
        String currency = replacement.currency();
        String paidIn = rows.get(0).currency();
        if (currency != null && paidIn != null && !currency.equals(paidIn)) {
            throw new RevisionRefused("order " + orderId + " was paid in " + paidIn + " and the replacement is in "
                    + currency + "; the hub does not convert a payment: cancel the order and send a new one");
        }
        if (next.compareTo(held) > 0) {
            throw new RevisionRefused("order " + orderId + " is paid: " + held.toPlainString() + " " + currency
                    + " is held for it, and the replacement's grand total is " + next.toPlainString() + " " + currency
                    + " (" + next.subtract(held).toPlainString() + " more); the hub does not charge more after payment"
                    + " without a new authorisation from the buyer: cancel the order and send a new one, or order the"
                    + " extra as a separate order");
        }
        return held.subtract(next);
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
