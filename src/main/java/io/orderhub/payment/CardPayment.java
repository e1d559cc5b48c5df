package io.orderhub.payment;

import java.math.BigDecimal;

import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.payment.PaymentService.Outcome;
import io.orderhub.payment.PaymentService.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import static io.orderhub.payment.PaymentDecisions.nz;
import static io.orderhub.payment.PaymentService.PAY_CONSUMER;
import static io.orderhub.payment.PaymentService.SYSTEM;
import static io.orderhub.payment.PaymentService.chargeKey;
import static io.orderhub.payment.PaymentService.refundKey;

/**
 * Card charges through the channel's gateway. A {@code payments} row with the idempotency key
 * {@code orderhub-<orderId>-charge-<attempt>} is committed before the gateway is called, so every
 * retry (timeouts, 5xx, 429: with backoff here; then JMS redelivery or the pending-payments job) reuses
 * the same key and the gateway takes the money once. The outcome, the order's transition and the
 * event's id in {@code processed_events} commit in one transaction. A card order of 0 needs no charge.
 */
@Component
class CardPayment implements PaymentMethod {

    private static final Logger log = LoggerFactory.getLogger(CardPayment.class);

    private final PaymentRepository payments;
    private final PaymentGateways gateways;
    private final GatewayCalls calls;
    private final Refunds refunds;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final ChannelRegistry channels;
    private final PaymentDecisions decisions;
    private final TransactionTemplate tx;

    CardPayment(PaymentRepository payments, PaymentGateways gateways, GatewayCalls calls, Refunds refunds,
                OrderRepository orderRows, OrderService orders, ChannelRegistry channels, PaymentDecisions decisions,
                TransactionTemplate tx) {
        this.payments = payments;
        this.gateways = gateways;
        this.calls = calls;
        this.refunds = refunds;
        this.orderRows = orderRows;
        this.orders = orders;
        this.channels = channels;
        this.decisions = decisions;
        this.tx = tx;
    }

    @Override
    public String method() {
        return "card";
    }

    @Override
    public Result take(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        return nz(amount).signum() == 0 ? nothingToCharge(eventId, order) : charge(eventId, order, p, amount);
    }

    /**
     * A card order whose grand total is 0 (fully discounted, a free sample): gateways refuse a charge of
     * nothing ("amount must be at least 1"), and waiting for one held the order CONFIRMED with its stock
     * reserved until the reservation expired. There is nothing to capture, so CONFIRMED → PAID at once, no
     * gateway call and no payment row; the timeline says no charge was needed. A later cancellation has
     * nothing to refund.
     */
    private Result nothingToCharge(String eventId, CanonicalOrder order) {
        return tx.execute(status -> {
            decisions.stillAsRead(order);
            if (!payments.firstTime(PAY_CONSUMER, eventId)) {
                status.setRollbackOnly();
                return new Result(order.orderId(), Outcome.DUPLICATE, "handled concurrently");
            }
            String detail = "nothing to charge: the grand total is 0 " + order.currency() + "; no card charge was sent";
            orders.transition(order.orderId(), OrderStatus.PAID, "order.paid", detail);
            return new Result(order.orderId(), Outcome.PAID, detail);
        });
    }

    Result charge(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        if (p.token() == null || p.token().isBlank()) {
            return decisions.decline(eventId, order, null, "payment: card payment without a gateway token");
        }
        Channel channel = channels.require(order.channel(), "channel");
        String gatewayName = channel.paymentGateway();
        gateways.settings(gatewayName);
        long minor = PaymentDecisions.minor(amount, order.currency());
        String key = chargeKey(order.orderId(), 1);
        // the charge row, with the amount the gateway is sent, is written while the order is still as read
        Payment row = tx.execute(status -> {
            decisions.stillAsRead(order);
            payments.insert(order.orderId(), Payment.CHARGE, gatewayName, "card", 1, key, nz(amount), minor,
                    order.currency(), Payment.PENDING, null, null);
            return payments.byKey(key).orElseThrow();
        });
        if (!Payment.PENDING.equals(row.status())) {
            return decisions.done(eventId, order.orderId(), Outcome.SKIPPED, "charge is " + row.status() + " already");
        }
        try {
            PaymentGateway.ChargeResult result = calls.send(row, p.token());
            return finishCharge(eventId, order.orderId(), row, result);
        } catch (GatewayUnavailableException e) {
            log.warn("payment of {} waits: {}", order.orderId(), e.getMessage());
            return tx.execute(status -> {
                payments.firstTime(PAY_CONSUMER, eventId);
                return new Result(order.orderId(), Outcome.WAITING, "gateway unavailable, the charge is sent again later "
                        + "with the same key: " + e.getMessage());
            });
        } catch (GatewayRejectedException e) {
            log.error("payment of {} refused by {}: {}", order.orderId(), gatewayName, e.getMessage());
            return tx.execute(status -> {
                payments.finish(row.paymentId(), Payment.PENDING, Payment.FAILED, null, null, "http_" + e.status(), e.getMessage());
                payments.firstTime(PAY_CONSUMER, eventId);
                return new Result(order.orderId(), Outcome.FAILED, e.getMessage());
            });
        }
    }

    /**
     * Records the gateway's answer on a PENDING charge and moves the order: CONFIRMED → PAID on
     * success, → CANCELLED on a decline; money taken for an order cancelled meanwhile is refunded.
     * {@code eventId} (the stage's event, or null for the pending-payments job) commits with it.
     */
    Result finishCharge(String eventId, String orderId, Payment row, PaymentGateway.ChargeResult result) {
        Result r = tx.execute(status -> {
            if (eventId != null && !payments.firstTime(PAY_CONSUMER, eventId)) {
                status.setRollbackOnly();
                return new Result(orderId, Outcome.DUPLICATE, "handled concurrently");
            }
            if (!payments.finish(row.paymentId(), Payment.PENDING, result.succeeded() ? Payment.SUCCEEDED : Payment.DECLINED,
                    result.intentId(), null, result.declineCode(), result.message())) {
                return new Result(orderId, Outcome.SKIPPED, "charge was finished by someone else");
            }
            OrderStatus now = orderRows.lockStatus(orderId).orElseThrow();
            if (result.succeeded()) {
                if (now == OrderStatus.CONFIRMED) {
                    orders.transition(orderId, OrderStatus.PAID, "order.paid", "charged " + row.amount().stripTrailingZeros()
                            .toPlainString() + " " + row.currency() + " via " + row.gateway() + ", " + result.intentId());
                    return new Result(orderId, Outcome.PAID, result.intentId());
                }
                // cancelled while the charge was under way: give the money back
                payments.insert(orderId, Payment.REFUND, row.gateway(), "card", 1, refundKey(orderId, 1),
                        row.amount(), row.amountMinor(), row.currency(), Payment.PENDING, null, result.intentId());
                return new Result(orderId, Outcome.REFUNDED, "order is " + now + ": the charge is refunded");
            }
            String why = "payment declined by " + row.gateway() + ": " + result.declineCode() + ": " + result.message();
            if (now == OrderStatus.CONFIRMED) {
                orders.cancel(orderId, why, SYSTEM);
                return new Result(orderId, Outcome.CANCELLED, why);
            }
            return new Result(orderId, Outcome.SKIPPED, why + "; order is " + now);
        });
        if (r.outcome() == Outcome.REFUNDED) {
            refunds.refundOrder(orderId);
        }
        return r;
    }
}
