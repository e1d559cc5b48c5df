package io.orderhub.payment;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.FulfilmentHold;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.order.RevisionRefused;
import io.orderhub.sync.inbound.CrmCustomers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The difference of a replacement or change after payment that raises the grand total (issue 18, "payment
 * adjusted"; the order is PAID, not yet allocated). {@link PaymentRevision} decides; this class records and settles:
 * <ul>
 *   <li>card: a second CHARGE row beside the first, key {@code orderhub-<orderId>-amend-<n>} (n counts the order's
 *       amendment charges, so one per replacement), PENDING, written in the replacement's transaction; sent after the
 *       commit through the first charge's gateway with the order's card token, off session (the buyer is not
 *       present), by the same client and rules as the first charge (retries with the same key, breaker; still
 *       unavailable: the pending-payments job sends it again with that key). Succeeded: event order.paid again (the
 *       order stays PAID; the allocation stage takes it). Declined or refused by the gateway: the replacement is
 *       undone ({@code OrderAmendments}); when the answer comes later (the job, a webhook) the order is held instead,
 *       with the reason in its timeline;</li>
 *   <li>prepaid or invoice: the difference goes on the invoice, an INVOICE row SUCCEEDED at once with the same key
 *       (an invoice order's CRM credit limit is checked for it first; over it the replacement is refused).</li>
 * </ul>
 * While an order's difference is PENDING, or what is held for it is less than its grand total, it is not allocated
 * ({@link #holdReason}).
 */
@Component
public class AmendmentCharges implements FulfilmentHold {

    private static final Logger log = LoggerFactory.getLogger(AmendmentCharges.class);

    private final PaymentRepository payments;
    private final GatewayCalls calls;
    private final Refunds refunds;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final CrmCustomers customers;
    private final TransactionTemplate tx;

    AmendmentCharges(PaymentRepository payments, GatewayCalls calls, Refunds refunds, OrderRepository orderRows,
                     OrderService orders, CrmCustomers customers, TransactionTemplate tx) {
        this.payments = payments;
        this.calls = calls;
        this.refunds = refunds;
        this.orderRows = orderRows;
        this.orders = orders;
        this.customers = customers;
        this.tx = tx;
    }

    /** The idempotency key of the order's {@code n}-th amendment charge. */
    public static String amendKey(String orderId, int n) {
        return "orderhub-" + orderId + "-amend-" + n;
    }

    /** An amount as its currency writes it: 10.00 EUR, 1200 JPY. */
    static String money(BigDecimal amount, String currency) {
        return MinorUnits.fromMinor(MinorUnits.toMinor(amount.setScale(MinorUnits.decimals(currency),
                java.math.RoundingMode.HALF_UP), currency), currency).toPlainString() + " " + currency;
    }

    static boolean isAmendment(Payment p) {
        return p.idempotencyKey() != null && p.idempotencyKey().startsWith("orderhub-" + p.orderId() + "-amend-");
    }

    /**
     * Records the difference {@code more} of a replacement in its transaction (the order's row locked): a PENDING
     * card charge beside {@code taken}, or an invoice record. Returns the row.
     */
    Payment record(CanonicalOrder replacement, List<Payment> rows, Payment taken, BigDecimal more) {
        String orderId = replacement.orderId();
        String currency = taken.currency();
        int n = 1 + (int) rows.stream().filter(AmendmentCharges::isAmendment).count();
        String key = amendKey(orderId, n);
        long minor = MinorUnits.toMinor(more, currency);
        if (Payment.CHARGE.equals(taken.kind())) {
            payments.insert(orderId, Payment.CHARGE, taken.gateway(), taken.method(), n + 1, key, more, minor, currency,
                    Payment.PENDING, null, null);
            return payments.byKey(key).orElseThrow();
        }
        String customerKey = null;
        if (Payment.INVOICE.equals(taken.kind())) {
            customerKey = InvoicePayment.customerKey(replacement);
            var customer = customerKey == null ? Optional.<CrmCustomers.Customer>empty() : customers.lockForCredit(customerKey);
            if (customer.isEmpty() || customer.get().creditLimit() == null
                    || !currency.equalsIgnoreCase(customer.get().currency())) {
                throw new RevisionRefused("order " + orderId + " is paid by invoice and its replacement's grand total is "
                        + money(more, currency) + " more, but its customer has no credit limit in "
                        + currency + " (credit_not_registered)");
            }
            BigDecimal open = payments.openInvoices(customerKey, currency);
            if (open.add(more).compareTo(customer.get().creditLimit()) > 0) {
                throw new RevisionRefused("order " + orderId + " is paid by invoice and its replacement adds "
                        + money(more, currency) + " to the " + open.stripTrailingZeros().toPlainString()
                        + " open of customer " + customerKey + ", over its CRM credit limit of "
                        + customer.get().creditLimit().stripTrailingZeros().toPlainString() + " (credit_limit_exceeded)");
            }
        }
        payments.insert(orderId, Payment.INVOICE, Payment.INVOICE.equals(taken.kind()) ? taken.gateway() : "invoice",
                taken.method(), n + 1, key, more, minor, currency, Payment.SUCCEEDED, taken.reference(), null);
        if (customerKey != null) {
            payments.setCustomer(key, customerKey);
        }
        Payment row = payments.byKey(key).orElseThrow();
        payments.finish(row.paymentId(), Payment.SUCCEEDED, Payment.SUCCEEDED, null, null, null, "the difference of a"
                + " replacement after payment, invoiced (" + taken.kind().toLowerCase(Locale.ROOT) + " order)");
        return row;
    }

    /**
     * Sends the order's PENDING amendment charge, if there is one, after the replacement committed: empty when it
     * succeeded or waits for the pending-payments job, the reason when the gateway declined or refused it.
     */
    Optional<String> settle(String orderId, String token) {
        Optional<Payment> pending = payments.byOrder(orderId).stream()
                .filter(p -> isAmendment(p) && Payment.CHARGE.equals(p.kind()) && Payment.PENDING.equals(p.status()))
                .reduce((a, b) -> b);
        return pending.flatMap(row -> send(row, token, false));
    }

    /** The pending-payments job: the amendment charge sent again with its key; a decline now holds the order. */
    Optional<String> resend(Payment row) {
        CanonicalOrder order = orderRows.find(row.orderId()).orElseThrow();
        return send(row, order.payment() == null ? null : order.payment().token(), true);
    }

    private Optional<String> send(Payment row, String token, boolean hold) {
        PaymentGateway.ChargeResult result;
        try {
            result = calls.send(row, token, "Order " + row.orderId() + " (changed)", true);
        } catch (GatewayUnavailableException e) {
            if (hold) {
                throw e;
            }
            log.warn("difference of replaced order {} waits for the pending-payments job: {}", row.orderId(), e.getMessage());
            return Optional.empty();
        } catch (GatewayRejectedException e) {
            log.error("difference of replaced order {} refused by {}: {}", row.orderId(), row.gateway(), e.getMessage());
            String message = e.getMessage();
            return tx.execute(s -> finish(row, false, Payment.FAILED, null, "http_" + e.status(), message, hold));
        }
        return tx.execute(s -> finish(row, result.succeeded(), result.succeeded() ? Payment.SUCCEEDED : Payment.DECLINED,
                result.intentId(), result.declineCode(), result.message(), hold));
    }

    /**
     * Records the gateway's answer on a PENDING amendment charge, in the caller's transaction: succeeded → event
     * order.paid (a PAID order is allocated then; one cancelled meanwhile gets this charge refunded); declined →
     * the reason (and, when {@code hold}, the order's timeline says it is held). Empty when it succeeded or someone
     * else finished the row.
     */
    Optional<String> finish(Payment row, boolean ok, String status, String intentId, String code, String message,
                            boolean hold) {
        if (!payments.finish(row.paymentId(), Payment.PENDING, status, intentId, null, code, message)) {
            return Optional.empty();
        }
        String orderId = row.orderId();
        String amount = money(row.amount(), row.currency());
        OrderStatus now = orderRows.lockStatus(orderId).orElseThrow();
        if (ok) {
            if (now == OrderStatus.CANCELLED) {
                payments.insert(orderId, Payment.REFUND, row.gateway(), row.method(), 1, row.idempotencyKey() + "-refund",
                        row.amount(), row.amountMinor(), row.currency(), Payment.PENDING, null, intentId);
                afterCommit(() -> refunds.refundOrder(orderId));
                return Optional.empty();
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("difference", Map.of("amount", row.amount(), "currency", row.currency(), "gateway", row.gateway(),
                    "intentId", intentId == null ? "" : intentId));
            orders.note(orderId, "order.paid", "the difference of " + amount + " of a replacement after payment charged via "
                    + row.gateway() + ", " + intentId, data, now == OrderStatus.PAID);
            return Optional.empty();
        }
        String why = "the difference of " + amount + " for the replacement was declined by " + row.gateway() + ": "
                + code + ": " + message;
        if (hold && (now == OrderStatus.PAID)) {
            orders.note(orderId, "order.payment-held", why + "; order " + orderId + " is held (not allocated) until its"
                    + " payment covers its grand total: send a replacement the payment covers, or cancel it", Map.of(), false);
        }
        return Optional.of(why);
    }

    /** A PAID order is not allocated while its difference is being charged or its payment does not cover it. */
    @Override
    public Optional<String> holdReason(CanonicalOrder order) {
        List<Payment> rows = payments.byOrder(order.orderId());
        if (rows.isEmpty()) {
            return Optional.empty(); // paid by hand, or nothing to charge
        }
        Payment declined = null;
        for (Payment p : rows) {
            if (isAmendment(p) && Payment.PENDING.equals(p.status())) {
                return Optional.of("the difference of " + money(p.amount(), p.currency()) + " of a"
                        + " replacement after payment is being charged (" + p.idempotencyKey() + ")");
            }
            if (isAmendment(p) && (Payment.DECLINED.equals(p.status()) || Payment.FAILED.equals(p.status()))) {
                declined = p;
            }
        }
        BigDecimal captured = RefundLimit.captured(rows);
        BigDecimal total = order.totals() == null ? null : order.totals().grandTotal();
        if (captured.signum() <= 0 || total == null) {
            return Optional.empty();
        }
        BigDecimal held = captured.subtract(RefundLimit.refunded(rows));
        if (held.compareTo(total) >= 0) {
            return Optional.empty();
        }
        return Optional.of(money(held, order.currency()) + " is paid for it and its grand total is "
                + money(total, order.currency())
                + (declined == null ? "" : " (the difference was " + declined.status().toLowerCase(Locale.ROOT) + ": "
                + declined.declineCode() + ": " + declined.message() + ")")
                + "; send a replacement the payment covers, or cancel it");
    }

    private static void afterCommit(Runnable action) {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            try {
                                action.run();
                            } catch (RuntimeException e) {
                                log.warn("refund left PENDING for the pending-payments job: {}", e.getMessage());
                            }
                        }
                    });
        } else {
            action.run();
        }
    }
}
