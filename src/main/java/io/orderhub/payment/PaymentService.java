package io.orderhub.payment;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.JobLeases;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.security.Caller;
import io.orderhub.security.Role;
import io.orderhub.sync.inbound.CrmCustomers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The payment stage: takes payment for a CONFIRMED order by its payment method and moves it to
 * PAID, or CANCELLED with the gateway's reason on a decline; and sends the refunds that
 * cancellations after payment recorded.
 *
 * <p>Card charges: a {@code payments} row with the idempotency key
 * {@code orderhub-<orderId>-charge-<attempt>} is committed before the gateway is called, so every
 * retry (timeouts, 5xx, 429: with backoff here; then JMS redelivery) reuses the same key and the
 * gateway takes the money once. The outcome, the order's transition and the event's id in
 * {@code processed_events} commit in one transaction.
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
    private final PaymentGateways gateways;
    private final PaymentProperties properties;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final ChannelRegistry channels;
    private final TransactionTemplate tx;
    private final CrmCustomers customers;

    private final JobLeases leases;
    private final Duration pendingRetryInterval;

    public PaymentService(PaymentRepository payments, PaymentGateways gateways, PaymentProperties properties,
                          OrderRepository orderRows, OrderService orders, ChannelRegistry channels, TransactionTemplate tx,
                          CrmCustomers customers, JobLeases leases,
                          @Value("${orderhub.payment.pending-retry-interval-ms}")
                          long pendingRetryIntervalMs) {
        this.customers = customers;
        this.leases = leases;
        this.pendingRetryInterval = Duration.ofMillis(pendingRetryIntervalMs);
        this.payments = payments;
        this.gateways = gateways;
        this.properties = properties;
        this.orderRows = orderRows;
        this.orders = orders;
        this.channels = channels;
        this.tx = tx;
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

    /**
     * Locks the order's row and checks it is still the order {@code read} (content, payment, status): call first in a
     * transaction that records a payment decision. Throws {@link OrderChangedMeanwhile} (the transaction rolls back).
     */
    void stillAsRead(CanonicalOrder read) {
        orderRows.lockStatus(read.orderId()).orElseThrow();
        if (!read.equals(orderRows.find(read.orderId()).orElse(null))) {
            throw new OrderChangedMeanwhile(read.orderId());
        }
    }

    private Result decide(String eventId, CanonicalOrder order) {
        String orderId = order.orderId();
        if (order.status() != OrderStatus.CONFIRMED) {
            return done(eventId, orderId, Outcome.SKIPPED, "order is " + order.status());
        }
        if (properties.manualChannels().contains(order.channel())) {
            return done(eventId, orderId, Outcome.HELD, "channel " + order.channel() + " is paid by hand");
        }
        CanonicalOrder.Payment p = order.payment();
        String method = p == null || p.method() == null ? "" : p.method().toLowerCase(Locale.ROOT);
        BigDecimal amount = order.totals() == null ? null : order.totals().grandTotal();
        return switch (method) {
            case "prepaid" -> recordPrepaid(eventId, order, p, amount);
            case "invoice" -> approveCredit(eventId, order, p, amount);
            case "card" -> nz(amount).signum() == 0 ? nothingToCharge(eventId, order) : charge(eventId, order, p, amount);
            default -> decline(eventId, order, null, "payment: no payment method given; expected card, prepaid or invoice");
        };
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
            stillAsRead(order);
            if (!payments.firstTime(PAY_CONSUMER, eventId)) {
                status.setRollbackOnly();
                return new Result(order.orderId(), Outcome.DUPLICATE, "handled concurrently");
            }
            String detail = "nothing to charge: the grand total is 0 " + order.currency() + "; no card charge was sent";
            orders.transition(order.orderId(), OrderStatus.PAID, "order.paid", detail);
            return new Result(order.orderId(), Outcome.PAID, detail);
        });
    }

    Result recordPrepaid(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        String reference = p.reference() == null || p.reference().isBlank() ? null : p.reference().trim();
        if (reference == null) {
            return decline(eventId, order, null, "payment: prepaid order without a payment reference");
        }
        return tx.execute(status -> {
            stillAsRead(order);
            if (!payments.firstTime(PAY_CONSUMER, eventId)) {
                status.setRollbackOnly();
                return new Result(order.orderId(), Outcome.DUPLICATE, "handled concurrently");
            }
            payments.insert(order.orderId(), Payment.PREPAID, order.channel(), "prepaid", 1,
                    "orderhub-" + order.orderId() + "-prepaid", nz(amount), minor(amount, order.currency()), order.currency(),
                    Payment.SUCCEEDED, reference, null);
            orders.transition(order.orderId(), OrderStatus.PAID, "order.paid", "prepaid at the channel, reference " + reference);
            return new Result(order.orderId(), Outcome.PAID, "prepaid " + reference);
        });
    }

    /**
     * Invoice: approved only for a customer the CRM knows ({@code <channel>-<customer.externalId>}) and has bound
     * to this channel ({@code invoiceChannel}), with a credit limit in the order's currency, while its open invoices
     * plus this order stay within the limit. Open invoices are approved invoices of orders not yet COMPLETED or
     * CANCELLED. Any other invoice order is cancelled with the reason: a customer id the channel's client makes up
     * gets no credit. The customer's row is locked ({@link CrmCustomers#lockForCredit}) from the sum of its open
     * invoices to the new invoice's commit, so concurrent orders of one customer cannot both pass the check.
     */
    Result approveCredit(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        BigDecimal total = nz(amount);
        String customerKey = customerKey(order);
        if (customerKey == null) {
            return decline(eventId, order, "credit_not_registered", "payment: invoice needs customer.externalId of a"
                    + " customer registered for invoice in channel " + order.channel());
        }
        String terms = p.terms() == null ? "invoice" : p.terms();
        Result r = tx.execute(status -> {
            stillAsRead(order);
            if (!payments.firstTime(PAY_CONSUMER, eventId)) {
                status.setRollbackOnly();
                return new Result(order.orderId(), Outcome.DUPLICATE, "handled concurrently");
            }
            var customer = customers.lockForCredit(customerKey);
            String refusal = null;
            if (customer.isEmpty() || !order.channel().equals(customer.get().invoiceChannel())) {
                refusal = "payment: customer.externalId '" + order.customer().externalId().trim()
                        + "' is not registered for invoice in channel " + order.channel() + " (credit_not_registered)";
            } else if (customer.get().creditLimit() == null
                    || !order.currency().equalsIgnoreCase(customer.get().currency())) {
                refusal = "payment: customer " + customerKey + " has no credit limit in " + order.currency()
                        + " (credit_not_registered)";
            } else {
                BigDecimal limit = customer.get().creditLimit();
                BigDecimal open = payments.openInvoices(customerKey, order.currency());
                if (open.add(total).compareTo(limit) > 0) {
                    refusal = "payment: invoice of " + total.toPlainString() + " " + order.currency() + " with "
                            + open.stripTrailingZeros().toPlainString() + " open exceeds the CRM credit limit of "
                            + customerKey + " of " + limit.stripTrailingZeros().toPlainString() + " (credit_limit_exceeded)";
                } else {
                    String detail = "credit approved (the CRM credit limit of " + customerKey + " "
                            + limit.stripTrailingZeros().toPlainString() + ", open " + open.stripTrailingZeros().toPlainString()
                            + "), terms " + terms;
                    String key = "orderhub-" + order.orderId() + "-invoice";
                    payments.insert(order.orderId(), Payment.INVOICE, "credit", "invoice", 1, key,
                            total, minor(total, order.currency()), order.currency(), Payment.SUCCEEDED, terms, null);
                    payments.setCustomer(key, customerKey);
                    orders.transition(order.orderId(), OrderStatus.PAID, "order.paid", detail);
                    return new Result(order.orderId(), Outcome.PAID, detail);
                }
            }
            orders.cancel(order.orderId(), refusal, SYSTEM);
            return new Result(order.orderId(), Outcome.CANCELLED, refusal);
        });
        return r;
    }

    /** The customer's id in the CRM: {@code <channel>-<customer.externalId>} (the packaged CRM mapping's key). */
    static String customerKey(CanonicalOrder order) {
        String ext = order.customer() == null ? null : order.customer().externalId();
        if (ext == null || ext.isBlank()) {
            return null;
        }
        String key = order.channel() + "-" + ext.trim();
        return key.matches(CrmCustomers.EXTERNAL_ID_PATTERN) ? key : null;
    }

    Result charge(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        if (p.token() == null || p.token().isBlank()) {
            return decline(eventId, order, null, "payment: card payment without a gateway token");
        }
        Channel channel = channels.require(order.channel(), "channel");
        String gatewayName = channel.paymentGateway();
        gateways.settings(gatewayName);
        long minor = minor(amount, order.currency());
        String key = chargeKey(order.orderId(), 1);
        // the charge row, with the amount the gateway is sent, is written while the order is still as read
        Payment row = tx.execute(status -> {
            stillAsRead(order);
            payments.insert(order.orderId(), Payment.CHARGE, gatewayName, "card", 1, key, nz(amount), minor,
                    order.currency(), Payment.PENDING, null, null);
            return payments.byKey(key).orElseThrow();
        });
        if (!Payment.PENDING.equals(row.status())) {
            return done(eventId, order.orderId(), Outcome.SKIPPED, "charge is " + row.status() + " already");
        }
        try {
            PaymentGateway.ChargeResult result = send(row, p.token());
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

    /** Sends a PENDING charge row to its gateway with the row's idempotency key (retries, breaker). */
    private PaymentGateway.ChargeResult send(Payment row, String token) {
        PaymentGateway gateway = gateways.get(row.gateway());
        return withRetries(row.gateway(), () -> gateway.charge(new PaymentGateway.ChargeRequest(row.orderId(),
                row.amountMinor(), row.currency(), token, row.idempotencyKey(), "Order " + row.orderId())));
    }

    /**
     * Records the gateway's answer on a PENDING charge and moves the order: CONFIRMED → PAID on
     * success, → CANCELLED on a decline; money taken for an order cancelled meanwhile is refunded.
     * {@code eventId} (the stage's event, or null for the pending-payments job) commits with it.
     */
    private Result finishCharge(String eventId, String orderId, Payment row, PaymentGateway.ChargeResult result) {
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
            refundOrder(orderId);
        }
        return r;
    }

    /**
     * The pending-payments job: charges and refunds left PENDING because the gateway was unavailable
     * (or the hub stopped mid-call) are sent again with their own idempotency key, once the gateway's
     * circuit breaker lets calls through. Returns how many were finished. One instance per interval
     * ({@link JobLeases}), so two instances do not send the same pending charges at the same time.
     */
    public int retryPending() {
        if (!leases.acquireNow(JobLeases.Job.PENDING_PAYMENTS, pendingRetryInterval)) {
            return 0;
        }
        int finished = 0;
        for (Payment row : payments.pendingBefore(payments.now().minus(properties.pendingRetryAfter()))) {
            if (!gateways.exists(row.gateway()) || !gateways.breaker(row.gateway()).allow()) {
                continue;
            }
            try {
                if (Payment.CHARGE.equals(row.kind())) {
                    CanonicalOrder order = orderRows.find(row.orderId()).orElseThrow();
                    String token = order.payment() == null ? null : order.payment().token();
                    Result r = finishCharge(null, row.orderId(), row, send(row, token));
                    log.info("pending payment sent again: {}", r);
                } else {
                    refundOne(row);
                }
                finished++;
            } catch (GatewayUnavailableException e) {
                payments.touch(row.paymentId());
                log.warn("pending {} of {} still waits: {}", row.kind(), row.orderId(), e.getMessage());
            } catch (GatewayRejectedException e) {
                payments.finish(row.paymentId(), Payment.PENDING, Payment.FAILED, null, null, "http_" + e.status(), e.getMessage());
                log.error("pending {} of {} refused: {}", row.kind(), row.orderId(), e.getMessage());
            }
        }
        return finished;
    }

    private Result decline(String eventId, CanonicalOrder order, String code, String why) {
        return tx.execute(status -> {
            stillAsRead(order);
            if (!payments.firstTime(PAY_CONSUMER, eventId)) {
                status.setRollbackOnly();
                return new Result(order.orderId(), Outcome.DUPLICATE, "handled concurrently");
            }
            orders.cancel(order.orderId(), code == null ? why : why + " (" + code + ")", SYSTEM);
            return new Result(order.orderId(), Outcome.CANCELLED, why);
        });
    }

    public static String returnRefundKey(String orderId, String returnId) {
        return "orderhub-" + orderId + "-return-" + returnId;
    }

    /** A return's refund as recorded: what was asked, what was recorded (capped), the row (null: nothing to refund). */
    public record ReturnRefund(BigDecimal wanted, BigDecimal amount, Payment row) {
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
            payments.insert(orderId, Payment.REFUND, taken.gateway(), taken.method(), 1, key, amount,
                    MinorUnits.toMinor(amount, taken.currency()), taken.currency(), Payment.PENDING, null, taken.intentId());
        } else {
            payments.insert(orderId, Payment.REFUND, "credit-note", taken.method(), 1, key, amount,
                    MinorUnits.toMinor(amount, taken.currency()), taken.currency(), Payment.SUCCEEDED, taken.reference(), null);
            payments.finish(payments.byKey(key).orElseThrow().paymentId(), Payment.SUCCEEDED, Payment.SUCCEEDED, null,
                    null, null, "settled by a credit note (" + taken.kind().toLowerCase(Locale.ROOT) + " order)");
        }
        return new ReturnRefund(wanted, amount, payments.byKey(key).orElseThrow());
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

    private String refundOne(Payment refund) {
        PaymentGateway gateway = gateways.get(refund.gateway());
        PaymentGateway.RefundResult result = withRetries(refund.gateway(), () -> gateway.refund(new PaymentGateway.RefundRequest(
                refund.orderId(), refund.intentId(), refund.amountMinor(), refund.idempotencyKey(), refund.currency())));
        payments.finish(refund.paymentId(), Payment.PENDING, Payment.SUCCEEDED, null, result.refundId(), null,
                "refund " + result.status());
        return result.refundId();
    }

    /**
     * Calls again after timeouts, 5xx and 429, backing off; the call carries the same idempotency key
     * each time. Goes through the circuit breaker named {@code breakerName}: an open breaker fails the
     * call at once.
     */
    <T> T withRetries(String breakerName, Supplier<T> call) {
        CircuitBreaker breaker = gateways.breaker(breakerName);
        long delay = properties.retryDelay().toMillis();
        for (int attempt = 1; ; attempt++) {
            if (!breaker.allow()) {
                throw new GatewayUnavailableException("circuit breaker of " + breakerName + " is open", null);
            }
            try {
                T answer = call.get();
                breaker.success();
                return answer;
            } catch (GatewayRejectedException e) {
                breaker.success();
                throw e;
            } catch (GatewayUnavailableException e) {
                breaker.failure();
                if (attempt >= properties.maxAttempts()) {
                    throw e;
                }
                log.warn("payment gateway unavailable (try {} of {}), retrying in {} ms: {}", attempt,
                        properties.maxAttempts(), delay, e.getMessage());
                pause(delay);
                delay = Math.min(delay * 2, 30_000);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayUnavailableException("interrupted while backing off", e);
        }
    }

    private Result done(String eventId, String orderId, Outcome outcome, String detail) {
        payments.firstTime(PAY_CONSUMER, eventId);
        return new Result(orderId, outcome, detail);
    }

    private static BigDecimal nz(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    private static long minor(BigDecimal amount, String currency) {
        return MinorUnits.toMinor(nz(amount), currency);
    }
}
