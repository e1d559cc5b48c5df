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
 *   <li>a higher grand total: the difference is charged once through the first charge's gateway as a second charge,
 *       or invoiced for a prepaid or invoice order ({@link AmendmentCharges}: recorded here, sent by {@link #settle}
 *       after the commit; a decline undoes the replacement); a card order's replacement with another payment method
 *       is refused naming both amounts;</li>
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
    private final AmendmentCharges amendments;
    private final io.orderhub.order.OrderService orders;

    public PaymentRevision(PaymentRepository payments, Refunds refunds, AmendmentCharges amendments,
                           io.orderhub.order.OrderService orders) {
        this.payments = payments;
        this.refunds = refunds;
        this.amendments = amendments;
        this.orders = orders;
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
        if (over == null || over.signum() == 0) {
            releaseIfHeld(current, replacement, rows);
            return;
        }
        Payment taken = null;
        for (Payment p : rows) {
            if (!Payment.REFUND.equals(p.kind()) && Payment.SUCCEEDED.equals(p.status())) {
                taken = p;
            }
        }
        if (over.signum() < 0) {
            // a higher total: the difference is charged through the first charge's gateway (or invoiced)
            amendments.record(replacement, rows, taken, over.negate());
            return;
        }
        releaseIfHeld(current, replacement, rows);
        String receipt = replacement.source() == null || replacement.source().receiptId() == null
                ? "n" + rows.size() : replacement.source().receiptId();
        String key = revisionRefundKey(current.orderId(), receipt);
        String orderId = current.orderId();
        if (Payment.CHARGE.equals(taken.kind())) {
            // split over the order's charges, newest first: a gateway refunds a charge up to its own amount
            int i = 1;
            for (ChargeShares.Share share : ChargeShares.split(rows, over)) {
                Payment charge = share.charge();
                payments.insert(orderId, Payment.REFUND, charge.gateway(), charge.method(), 1, ChargeShares.key(key, i++),
                        share.amount(), MinorUnits.toMinor(share.amount(), charge.currency()), charge.currency(),
                        Payment.PENDING, null, charge.intentId());
            }
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
     * After the replacement committed: a difference recorded by {@link #revise} as a PENDING card charge is sent now,
     * with the order's card token (the replacement's, else the one the first charge used). A decline is the reason to
     * undo the replacement; a gateway still unavailable leaves it to the pending-payments job (the order is held).
     */
    @Override
    public java.util.Optional<String> settle(CanonicalOrder current, CanonicalOrder replacement) {
        String token = replacement.payment() != null && replacement.payment().token() != null
                && !replacement.payment().token().isBlank() ? replacement.payment().token()
                : current.payment() == null ? null : current.payment().token();
        return amendments.settle(current.orderId(), token);
    }

    /**
     * An order held because its payment did not cover its total (a declined difference that could not be undone) whose
     * replacement the payment covers again: event order.paid, so the allocation stage takes it.
     */
    private void releaseIfHeld(CanonicalOrder current, CanonicalOrder replacement, List<Payment> rows) {
        if (rows.isEmpty() || current.status() != io.orderhub.order.OrderStatus.PAID || current.totals() == null
                || current.totals().grandTotal() == null) {
            return;
        }
        BigDecimal held = RefundLimit.captured(rows).subtract(RefundLimit.refunded(rows));
        if (held.signum() > 0 && held.compareTo(current.totals().grandTotal()) < 0) {
            orders.note(current.orderId(), "order.paid", "the payment of "
                    + AmendmentCharges.money(held, current.currency()) + " covers the order again (replaced)", java.util.Map.of(), true);
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
            Payment taken = null;
            for (Payment p : rows) {
                if (!Payment.REFUND.equals(p.kind()) && Payment.SUCCEEDED.equals(p.status())) {
                    taken = p;
                }
            }
            if (taken != null && Payment.CHARGE.equals(taken.kind()) && (replacement.payment() == null
                    || !"card".equalsIgnoreCase(String.valueOf(replacement.payment().method())))) {
                throw new RevisionRefused("order " + orderId + " is paid by card: " + held.toPlainString() + " " + currency
                        + " is held for it, and the replacement's grand total is " + next.toPlainString() + " " + currency
                        + " (" + next.subtract(held).toPlainString() + " more) with payment method "
                        + (replacement.payment() == null ? "none" : replacement.payment().method())
                        + "; the difference is charged to the card only: send the replacement with the card payment");
            }
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
