package io.orderhub.returns;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.orderhub.order.OrderRepository;
import io.orderhub.payment.Payment;
import io.orderhub.payment.PaymentService;
import io.orderhub.returns.ReturnRepository.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import static io.orderhub.returns.ReturnService.notFound;

/**
 * Settling received returns: the refund sent (REFUNDED), the store credit granted (CREDITED) or the exchange
 * order made (EXCHANGED); and the returns job's parts that settle again what the gateway left waiting and close
 * settled returns after the hold.
 */
@Component
class ReturnSettlement {

    private static final Logger log = LoggerFactory.getLogger(ReturnSettlement.class);

    private final ReturnRepository returns;
    private final OrderRepository orderRows;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final PaymentService payments;
    private final ReturnProperties settings;
    private final ReturnTransitions moves;
    private final ReturnExchanges exchanges;

    ReturnSettlement(ReturnRepository returns, OrderRepository orderRows, TransactionTemplate tx,
                     Clock clock, PaymentService payments, ReturnProperties settings, ReturnTransitions moves,
                     ReturnExchanges exchanges) {
        this.exchanges = exchanges;
        this.returns = returns;
        this.orderRows = orderRows;
        this.tx = tx;
        this.clock = clock;
        this.payments = payments;
        this.settings = settings;
        this.moves = moves;
    }

    /**
     * Takes a RECEIVED return to REFUNDED (its refund succeeded at the gateway, or nothing was left to refund),
     * CREDITED or EXCHANGED (the linked order created). Safe to call again: a return not RECEIVED is left alone,
     * the refund is sent with its own key, the exchange order is found by its external id.
     */
    public Optional<ReturnStatus> settle(String returnId) {
        Row row = returns.find(returnId).orElseThrow(() -> notFound("returnId", returnId));
        if (row.status() != ReturnStatus.RECEIVED) {
            return Optional.empty();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        String detail;
        switch (row.resolution()) {
            case REFUND -> {
                Optional<Map<String, Object>> r = sentRefund(payments, moves, row, "refund");
                if (r.isEmpty()) {
                    return Optional.empty();
                }
                extra.put("refund", r.get());
                detail = !r.get().containsKey("gateway") ? "nothing left to refund: the order's payments were given back already"
                        : "refunded " + ((BigDecimal) r.get().get("amount")).stripTrailingZeros().toPlainString() + " "
                        + row.currency() + " via " + r.get().get("gateway")
                        + (r.get().get("refundId") == null ? "" : ", " + r.get().get("refundId"));
            }
            case STORE_CREDIT -> {
                Map<String, Object> credit = returns.storeCredit(returnId).orElseThrow();
                extra.put("storeCredit", credit);
                detail = "store credit " + ((BigDecimal) credit.get("amount")).stripTrailingZeros().toPlainString() + " "
                        + credit.get("currency") + " for " + credit.get("customer_key");
            }
            case EXCHANGE -> {
                Optional<Map<String, Object>> money = exchanges.settleDifference(row);
                if (money.isEmpty()) {
                    return Optional.empty();
                }
                String exchange = exchanges.exchangeOrder(row, orderRows.find(row.orderId()).orElseThrow());
                extra.put("exchangeOrderId", exchange);
                extra.putAll(money.get());
                detail = "exchanged: order " + exchange + differenceDetail(money.get());
            }
            default -> throw new IllegalStateException();
        }
        ReturnStatus to = ReturnLifecycle.settled(row.resolution());
        return tx.execute(s -> {
            orderRows.lockStatus(row.orderId());
            ReturnStatus from = returns.lockStatus(returnId).orElseThrow();
            if (from != ReturnStatus.RECEIVED) {
                return Optional.empty();
            }
            moves.transition(returnId, orderRows.find(row.orderId()).orElseThrow(), from, to, "return." + to.name()
                    .toLowerCase(Locale.ROOT), detail, extra);
            return Optional.of(to);
        });
    }

    /**
     * The return's refund sent through its gateway (or found sent): what the settled event carries about it (amount
     * 0 and no gateway when nothing was left to refund). Empty while it waits for the gateway, or after the gateway
     * refused it (noted in the return's timeline as {@code return.refund_failed}, naming {@code what}).
     */
    static Optional<Map<String, Object>> sentRefund(PaymentService payments, ReturnTransitions moves, Row row, String what) {
        Optional<Payment> refund = payments.returnRefund(row.orderId(), row.returnId());
        if (refund.isPresent() && Payment.PENDING.equals(refund.get().status())) {
            payments.refundOrder(row.orderId());
            refund = payments.returnRefund(row.orderId(), row.returnId());
        }
        if (refund.isPresent() && !Payment.SUCCEEDED.equals(refund.get().status())) {
            if (Payment.FAILED.equals(refund.get().status())) {
                moves.note(row.returnId(), "return.refund_failed", "the gateway refused the " + what + ": "
                        + refund.get().message());
            }
            return Optional.empty();
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("amount", refund.map(Payment::amount).orElse(BigDecimal.ZERO));
        r.put("currency", row.currency());
        refund.ifPresent(p -> {
            r.put("method", p.method());
            r.put("gateway", p.gateway());
            r.put("refundId", p.refundId());
        });
        return Optional.of(r);
    }

    private static String differenceDetail(Map<String, Object> money) {
        for (String key : List.of("differenceCharged", "differenceRefunded")) {
            if (money.get(key) instanceof Map<?, ?> m) {
                return "; the difference of " + ((BigDecimal) m.get("amount")).stripTrailingZeros().toPlainString() + " "
                        + m.get("currency") + (key.endsWith("Charged") ? " charged" : " refunded") + " via " + m.get("gateway");
            }
        }
        return "; equal values, no payment";
    }

    /** REFUNDED, EXCHANGED and CREDITED returns whose hold has passed become CLOSED; returns how many. */
    public int closeSettled() {
        int closed = 0;
        Instant before = clock.instant().minus(settings.closeAfter());
        for (ReturnStatus status : List.of(ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED, ReturnStatus.CREDITED)) {
            for (String id : returns.inStatus(status, before, 200)) {
                Boolean done = tx.execute(s -> {
                    Row row = returns.find(id).orElseThrow();
                    orderRows.lockStatus(row.orderId());
                    ReturnStatus from = returns.lockStatus(id).orElseThrow();
                    if (from != status) {
                        return false;
                    }
                    moves.transition(id, orderRows.find(row.orderId()).orElseThrow(), from, ReturnStatus.CLOSED, "return.closed",
                            "closed after " + from, Map.of());
                    return true;
                });
                closed += Boolean.TRUE.equals(done) ? 1 : 0;
            }
        }
        return closed;
    }

    /** RECEIVED returns not yet settled (the gateway was away): settled again. */
    public int settleReceived() {
        int settled = 0;
        for (String id : returns.inStatus(ReturnStatus.RECEIVED, clock.instant(), 200)) {
            try {
                settled += settle(id).isPresent() ? 1 : 0;
            } catch (RuntimeException e) {
                log.info("return {} not settled this time: {}", id, e.toString());
            }
        }
        return settled;
    }
}
