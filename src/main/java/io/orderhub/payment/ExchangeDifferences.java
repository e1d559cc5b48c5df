package io.orderhub.payment;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The difference an exchange's replacement goods cost over the goods sent back (issue 22), charged once on the
 * original order:
 * <ul>
 *   <li>card: a CHARGE row beside the order's first charge, key {@code orderhub-<orderId>-exchange-<returnId>},
 *       PENDING, written in the return receipt's transaction; sent after the commit through that charge's gateway
 *       with the order's card token, off session (the buyer is not present), with retries and the breaker and the
 *       same key every time. Still unavailable: the pending-payments job sends it again with that key. A decline or
 *       refusal leaves the row DECLINED or FAILED and the exchange unsettled;</li>
 *   <li>prepaid or invoice (or no payment taken by the hub): an INVOICE row SUCCEEDED at once with the same key, the
 *       difference goes on the customer's invoice.</li>
 * </ul>
 * A lower value is a refund, not this class: {@link Refunds#recordReturnRefund} with the return's key, capped.
 */
@Component
public class ExchangeDifferences {

    private static final Logger log = LoggerFactory.getLogger(ExchangeDifferences.class);

    private final PaymentRepository payments;
    private final GatewayCalls calls;
    private final OrderRepository orderRows;

    public ExchangeDifferences(PaymentRepository payments, GatewayCalls calls, OrderRepository orderRows) {
        this.payments = payments;
        this.calls = calls;
        this.orderRows = orderRows;
    }

    /** The idempotency key of the difference charged for a return's exchange. */
    public static String key(String orderId, String returnId) {
        return "orderhub-" + orderId + "-exchange-" + returnId;
    }

    static boolean isExchangeCharge(Payment p) {
        return p.idempotencyKey() != null && p.idempotencyKey().startsWith("orderhub-" + p.orderId() + "-exchange-");
    }

    /** The difference's row, if one was recorded. */
    public Optional<Payment> find(String orderId, String returnId) {
        return payments.byKey(key(orderId, returnId));
    }

    /**
     * Records the difference {@code more} in the caller's transaction, which holds the order's row lock: a PENDING
     * CHARGE through the gateway of the order's first successful charge, or a SUCCEEDED INVOICE row. Recording again
     * for the same return finds the row of the first time.
     */
    public Payment record(CanonicalOrder order, String returnId, BigDecimal more) {
        String orderId = order.orderId();
        String key = key(orderId, returnId);
        Optional<Payment> existing = payments.byKey(key);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<Payment> rows = payments.byOrder(orderId);
        Payment charge = rows.stream().filter(p -> Payment.CHARGE.equals(p.kind()) && Payment.SUCCEEDED.equals(p.status())
                && !isExchangeCharge(p)).findFirst().orElse(null);
        Payment taken = charge != null ? charge : rows.stream().filter(p -> !Payment.REFUND.equals(p.kind())
                && Payment.SUCCEEDED.equals(p.status())).reduce((a, b) -> b).orElse(null);
        String currency = taken != null ? taken.currency() : order.currency();
        long minor = MinorUnits.toMinor(more, currency);
        if (charge != null) {
            payments.insert(orderId, Payment.CHARGE, charge.gateway(), charge.method(), 1, key, more, minor, currency,
                    Payment.PENDING, returnId, null);
            return payments.byKey(key).orElseThrow();
        }
        boolean invoice = taken != null && Payment.INVOICE.equals(taken.kind());
        payments.insert(orderId, Payment.INVOICE, invoice ? taken.gateway() : "invoice",
                taken == null ? "invoice" : taken.method(), 1, key, more, minor, currency, Payment.SUCCEEDED,
                taken == null ? returnId : taken.reference(), null);
        String customer = InvoicePayment.customerKey(order);
        if (invoice && customer != null) {
            payments.setCustomer(key, customer);
        }
        Payment row = payments.byKey(key).orElseThrow();
        payments.finish(row.paymentId(), Payment.SUCCEEDED, Payment.SUCCEEDED, null, null, null, "the difference of the"
                + " exchange of return " + returnId + ", invoiced (" + (taken == null ? "no payment taken by the hub"
                : taken.kind().toLowerCase(Locale.ROOT) + " order") + ")");
        return payments.byKey(key).orElseThrow();
    }

    /**
     * Sends the return's PENDING difference charge (after the receipt committed) and records the gateway's answer;
     * returns the row as it is then: SUCCEEDED, DECLINED or FAILED, or still PENDING while the gateway is away (the
     * pending-payments job sends it again). A row that is not a PENDING charge is returned as it is.
     */
    public Payment send(String orderId, String returnId) {
        Payment row = payments.byKey(key(orderId, returnId)).orElseThrow(() -> new IllegalStateException(
                "return " + returnId + " of order " + orderId + " has no exchange difference recorded"));
        try {
            return send(row);
        } catch (GatewayUnavailableException e) {
            log.warn("exchange difference of return {} waits for the pending-payments job: {}", returnId, e.getMessage());
            return payments.byKey(row.idempotencyKey()).orElseThrow();
        }
    }

    /** The pending-payments job: sent again with its key; an unavailable gateway is thrown to the job. */
    Payment send(Payment row) {
        if (!Payment.CHARGE.equals(row.kind()) || !Payment.PENDING.equals(row.status())) {
            return row;
        }
        CanonicalOrder order = orderRows.find(row.orderId()).orElseThrow();
        String token = order.payment() == null ? null : order.payment().token();
        try {
            PaymentGateway.ChargeResult result = calls.send(row, token, "Order " + row.orderId() + " (exchange "
                    + row.reference() + ")", true);
            payments.finish(row.paymentId(), Payment.PENDING, result.succeeded() ? Payment.SUCCEEDED : Payment.DECLINED,
                    result.intentId(), null, result.declineCode(), result.succeeded() ? "the difference of the exchange of"
                            + " return " + row.reference() + ", charged off session" : result.message());
        } catch (GatewayRejectedException e) {
            log.error("exchange difference of {} refused by {}: {}", row.orderId(), row.gateway(), e.getMessage());
            payments.finish(row.paymentId(), Payment.PENDING, Payment.FAILED, null, null, "http_" + e.status(), e.getMessage());
        }
        return payments.byKey(row.idempotencyKey()).orElseThrow();
    }
}
