package io.orderhub.payment;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

import io.orderhub.payment.PaymentService.Outcome;
import io.orderhub.payment.PaymentService.Result;
import io.orderhub.payment.PaymentService.ReturnRefund;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import static io.orderhub.payment.PaymentService.REFUND_CONSUMER;
import static io.orderhub.payment.PaymentService.returnRefundKey;

/**
 * Refunds: the refunds a cancellation after payment recorded (sent on the order.cancelled event) and
 * the refunds of returns (recorded capped to what is left of what was captured, then sent). Each goes
 * back through the gateway of its charge with its own idempotency key; prepaid and invoice orders are
 * refunded by a credit note.
 */
@Component
public class Refunds {

    private static final Logger log = LoggerFactory.getLogger(Refunds.class);

    private final PaymentRepository payments;
    private final PaymentGateways gateways;
    private final GatewayCalls calls;

    public Refunds(PaymentRepository payments, PaymentGateways gateways, GatewayCalls calls) {
        this.payments = payments;
        this.gateways = gateways;
        this.calls = calls;
    }

    /**
     * Records the refund of a return in the caller's transaction, which holds the order's row lock (as a
     * cancellation does), so the cap sees every other refund of the order: {@code wanted} cut to what is left of
     * what was captured ({@link RefundLimit}). A card order's refund goes back through the gateway of its charge,
     * PENDING until {@link #refundOrder} sends it with the key {@code orderhub-<orderId>-return-<returnId>}; a
     * prepaid or invoice order's refund is settled by the channel or by a credit note (gateway {@code credit-note},
     * SUCCEEDED at once: the ERP receives it from the return.refunded event). Recording twice for one return
     * finds the row of the first time.
     */
    public ReturnRefund recordReturnRefund(String orderId, String returnId, BigDecimal wanted) {
        String key = returnRefundKey(orderId, returnId);
        java.util.Optional<Payment> existing = payments.byKey(key);
        if (existing.isPresent()) {
            return new ReturnRefund(wanted, existing.get().amount(), existing.get());
        }
        List<Payment> rows = payments.byOrder(orderId);
        BigDecimal amount = RefundLimit.cap(RefundLimit.captured(rows), RefundLimit.refunded(rows), wanted);
        if (amount.signum() <= 0) {
            return new ReturnRefund(wanted, BigDecimal.ZERO, null);
        }
        Payment taken = null;
        for (Payment p : rows) {
            if (!Payment.REFUND.equals(p.kind()) && Payment.SUCCEEDED.equals(p.status())) {
                taken = p;
            }
        }
        if (taken == null) {
            return new ReturnRefund(wanted, BigDecimal.ZERO, null);
        }
        if (Payment.CHARGE.equals(taken.kind())) {
            // over the order's charges, newest first (a second one is a replacement's difference): key, key-2, ...
            int i = 1;
            for (ChargeShares.Share share : ChargeShares.split(rows, amount)) {
                Payment c = share.charge();
                payments.insert(orderId, Payment.REFUND, c.gateway(), c.method(), 1, ChargeShares.key(key, i++),
                        share.amount(), MinorUnits.toMinor(share.amount(), c.currency()), c.currency(), Payment.PENDING,
                        null, c.intentId());
            }
            if (payments.byKey(key).isEmpty()) {
                return new ReturnRefund(wanted, BigDecimal.ZERO, null);
            }
        } else {
            payments.insert(orderId, Payment.REFUND, "credit-note", taken.method(), 1, key, amount,
                    MinorUnits.toMinor(amount, taken.currency()), taken.currency(), Payment.SUCCEEDED, taken.reference(), null);
            payments.finish(payments.byKey(key).orElseThrow().paymentId(), Payment.SUCCEEDED, Payment.SUCCEEDED, null,
                    null, null, "settled by a credit note (" + taken.kind().toLowerCase(Locale.ROOT) + " order)");
        }
        return new ReturnRefund(wanted, amount, payments.byKey(key).orElseThrow());
    }

    /**
     * Records, in the caller's transaction (which holds the order's row lock), a return's refund that the sales
     * channel made itself (a marketplace's refund): a REFUND row of gateway {@code <channel>}, method
     * {@code channel}, SUCCEEDED at once, with the return's key and the channel's refund id. Never sent to a
     * gateway; counted by {@link RefundLimit} as refunded, so the hub refunds that money never again. Not cut to
     * what was captured: the channel paid it back already. Recording twice for one return finds the first row.
     */
    public Payment recordChannelRefund(String orderId, String returnId, String channel, BigDecimal amount,
                                       String currency, String channelRefundId) {
        String key = returnRefundKey(orderId, returnId);
        java.util.Optional<Payment> existing = payments.byKey(key);
        if (existing.isPresent()) {
            return existing.get();
        }
        payments.insert(orderId, Payment.REFUND, channel, "channel", 1, key, amount, MinorUnits.toMinor(amount, currency),
                currency, Payment.SUCCEEDED, channelRefundId, null);
        Payment row = payments.byKey(key).orElseThrow();
        payments.finish(row.paymentId(), Payment.SUCCEEDED, Payment.SUCCEEDED, null, channelRefundId, null,
                "refunded by the channel " + channel + " (its refund " + channelRefundId + ")");
        return payments.byKey(key).orElseThrow();
    }

    /** The payment row of a return's refund, if one was recorded. */
    public java.util.Optional<Payment> returnRefund(String orderId, String returnId) {
        return payments.byKey(returnRefundKey(orderId, returnId));
    }

    /** Handles an order.cancelled event: sends the refunds the cancellation recorded. */
    public Result onOrderCancelled(String eventId, String orderId) {
        if (payments.processed(REFUND_CONSUMER, eventId)) {
            return new Result(orderId, Outcome.DUPLICATE, "event " + eventId + " was handled before");
        }
        Result r = refundOrder(orderId);
        payments.firstTime(REFUND_CONSUMER, eventId);
        return r;
    }

    /** Sends every pending refund of the order through its gateway (same key on every retry). */
    public Result refundOrder(String orderId) {
        List<Payment> pending = payments.byOrder(orderId).stream()
                .filter(p -> Payment.REFUND.equals(p.kind()) && Payment.PENDING.equals(p.status())).toList();
        if (pending.isEmpty()) {
            return new Result(orderId, Outcome.NOTHING_TO_REFUND, "no pending refund");
        }
        StringBuilder done = new StringBuilder();
        for (Payment refund : pending) {
            try {
                done.append(refundOne(refund)).append(' ');
            } catch (GatewayUnavailableException e) {
                log.warn("refund of {} waits: {}", orderId, e.getMessage());
                done.append("waiting ");
            } catch (GatewayRejectedException e) {
                log.error("refund of {} refused by {}: {}", orderId, refund.gateway(), e.getMessage());
                payments.finish(refund.paymentId(), Payment.PENDING, Payment.FAILED, null, null, "http_" + e.status(), e.getMessage());
            }
        }
        return new Result(orderId, Outcome.REFUNDED, done.toString().trim());
    }

    String refundOne(Payment refund) {
        PaymentGateway gateway = gateways.get(refund.gateway());
        PaymentGateway.RefundResult result = calls.withRetries(refund.gateway(), () -> gateway.refund(new PaymentGateway.RefundRequest(
                refund.orderId(), refund.intentId(), refund.amountMinor(), refund.idempotencyKey(), refund.currency())));
        payments.finish(refund.paymentId(), Payment.PENDING, Payment.SUCCEEDED, null, result.refundId(), null,
                "refund " + result.status());
        return result.refundId();
    }
}
