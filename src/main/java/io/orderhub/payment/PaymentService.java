package io.orderhub.payment;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderStatus;
import io.orderhub.security.Caller;
import io.orderhub.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The payment stage: takes payment for a CONFIRMED order by its payment method and moves it to
 * PAID, or CANCELLED with the gateway's reason on a decline; and sends the refunds that
 * cancellations after payment recorded.
 *
 * <p>This class decides which {@link PaymentMethod} takes the payment (card: {@link CardPayment},
 * prepaid: {@link PrepaidPayment}, invoice: {@link InvoicePayment}) and starts the decision again
 * when the order changed while it was decided. Refunds are {@link Refunds}; the charges and refunds
 * left pending are sent again by {@link PendingPayments}; gateway calls go through {@link GatewayCalls}.
 */
@Service
public class PaymentService {

    static final String PAY_CONSUMER = "payment.charge";
    static final String REFUND_CONSUMER = "payment.refund";
    /** Who the audit log names for cancellations the payment stage makes. */
    static final Caller SYSTEM = new Caller("payment-stage", Role.ADMIN, null);

    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

    public enum Outcome { PAID, CANCELLED, FAILED, WAITING, HELD, SKIPPED, DUPLICATE, REFUNDED, NOTHING_TO_REFUND }

    public record Result(String orderId, Outcome outcome, String detail) {
    }
    private final PaymentRepository payments;
    private final OrderRepository orderRows;
    private final PaymentProperties properties;
    private final PaymentDecisions decisions;
    private final Map<String, PaymentMethod> methods;
    private final Refunds refunds;
    private final GatewayCalls calls;

    public PaymentService(PaymentRepository payments, OrderRepository orderRows, PaymentProperties properties, PaymentDecisions decisions,
                   List<PaymentMethod> methods, Refunds refunds, GatewayCalls calls) {
        this.payments = payments;
        this.orderRows = orderRows;
        this.properties = properties;
        this.decisions = decisions;
        this.methods = methods.stream().collect(Collectors.toUnmodifiableMap(PaymentMethod::method, Function.identity()));
        this.refunds = refunds;
        this.calls = calls;
    }

    public static String chargeKey(String orderId, int attempt) {
        return "orderhub-" + orderId + "-charge-" + attempt;
    }

    public static String refundKey(String orderId, int attempt) {
        return "orderhub-" + orderId + "-refund-" + attempt;
    }

    /** Attempts at deciding a payment when the order keeps changing (replaced) while it is decided. */
    static final int DECIDE_ATTEMPTS = 3;

    /**
     * Handles an order.confirmed event. The decision is made from the order as read, and every write of it (the charge
     * row before the gateway call, a prepaid or invoice record, a decline) first locks the order's row and checks the
     * order is still as read: a replacement document committed in between (its total, its payment) makes the
     * decision start again from the order as it is now, and one that comes later is refused because a payment is
     * recorded ({@link PaymentRevision}). So the amount taken is always the stored order's total.
     */
    public Result onOrderConfirmed(String eventId, String orderId) {
        if (payments.processed(PAY_CONSUMER, eventId)) {
            return new Result(orderId, Outcome.DUPLICATE, "event " + eventId + " was handled before");
        }
        for (int attempt = 1; ; attempt++) {
            CanonicalOrder order = orderRows.find(orderId)
                    .orElseThrow(() -> new IllegalArgumentException("event " + eventId + " names unknown order " + orderId));
            try {
                return decide(eventId, order);
            } catch (OrderChangedMeanwhile e) {
                if (attempt >= DECIDE_ATTEMPTS) {
                    // redelivered by the stage's queue, decided afresh then
                    throw new IllegalStateException("order " + orderId + " changed " + attempt
                            + " times while its payment was decided", e);
                }
                log.info("order {} changed while its payment was decided: deciding again", orderId);
            }
        }
    }

    /** The order's row changed after it was read for a payment decision; nothing of the decision was written. */
    static final class OrderChangedMeanwhile extends RuntimeException {
        OrderChangedMeanwhile(String orderId) {
            super("order " + orderId + " changed after it was read for its payment", null, false, false);
        }
    }

    private Result decide(String eventId, CanonicalOrder order) {
        String orderId = order.orderId();
        if (order.status() != OrderStatus.CONFIRMED) {
            return decisions.done(eventId, orderId, Outcome.SKIPPED, "order is " + order.status());
        }
        if (properties.manualChannels().contains(order.channel())) {
            return decisions.done(eventId, orderId, Outcome.HELD, "channel " + order.channel() + " is paid by hand");
        }
        CanonicalOrder.Payment p = order.payment();
        String method = p == null || p.method() == null ? "" : p.method().toLowerCase(Locale.ROOT);
        BigDecimal amount = order.totals() == null ? null : order.totals().grandTotal();
        PaymentMethod taker = methods.get(method);
        if (taker == null) {
            return decisions.decline(eventId, order, null, "payment: no payment method given; expected card, prepaid or invoice");
        }
        return taker.take(eventId, order, p, amount);
    }

    // ---- the payment methods' decisions, for tests that race them against a replacement

    Result recordPrepaid(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        return methods.get("prepaid").take(eventId, order, p, amount);
    }

    Result approveCredit(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        return methods.get("invoice").take(eventId, order, p, amount);
    }

    Result charge(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        return ((CardPayment) methods.get("card")).charge(eventId, order, p, amount);
    }

    /** See {@link GatewayCalls#withRetries}. */
    <T> T withRetries(String breakerName, Supplier<T> call) {
        return calls.withRetries(breakerName, call);
    }

    // ---- refunds

    public static String returnRefundKey(String orderId, String returnId) {
        return "orderhub-" + orderId + "-return-" + returnId;
    }

    /** A return's refund as recorded: what was asked, what was recorded (capped), the row (null: nothing to refund). */
    public record ReturnRefund(BigDecimal wanted, BigDecimal amount, Payment row) {
    }
    /**
     * Records the refund of a return in the caller's transaction, which holds the order's row lock (as a
     * cancellation does): see {@link Refunds#recordReturnRefund}.
     */
    public ReturnRefund recordReturnRefund(String orderId, String returnId, BigDecimal wanted) {
        return refunds.recordReturnRefund(orderId, returnId, wanted);
    }

    /** Records a return's refund the channel made itself: see {@link Refunds#recordChannelRefund}. */
    public Payment recordChannelRefund(String orderId, String returnId, String channel, BigDecimal amount, String currency,
                                       String channelRefundId) {
        return refunds.recordChannelRefund(orderId, returnId, channel, amount, currency, channelRefundId);
    }

    /** The payment row of a return's refund, if one was recorded. */
    public Optional<Payment> returnRefund(String orderId, String returnId) {
        return refunds.returnRefund(orderId, returnId);
    }

    /** Handles an order.cancelled event: sends the refunds the cancellation recorded. */
    public Result onOrderCancelled(String eventId, String orderId) {
        return refunds.onOrderCancelled(eventId, orderId);
    }

    /** Sends every pending refund of the order through its gateway (same key on every retry). */
    public Result refundOrder(String orderId) {
        return refunds.refundOrder(orderId);
    }
}
