package io.orderhub.payment;

import java.math.BigDecimal;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.payment.PaymentService.OrderChangedMeanwhile;
import io.orderhub.payment.PaymentService.Outcome;
import io.orderhub.payment.PaymentService.Result;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import static io.orderhub.payment.PaymentService.PAY_CONSUMER;
import static io.orderhub.payment.PaymentService.SYSTEM;

/**
 * What every payment method's decision shares: the check that the order is still as read (under its row
 * lock) before a decision is written, the decline that cancels the order, and the record that the
 * stage's event was handled.
 */
@Component
class PaymentDecisions {

    private final PaymentRepository payments;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final TransactionTemplate tx;

    PaymentDecisions(PaymentRepository payments, OrderRepository orderRows, OrderService orders, TransactionTemplate tx) {
        this.payments = payments;
        this.orderRows = orderRows;
        this.orders = orders;
        this.tx = tx;
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

    Result decline(String eventId, CanonicalOrder order, String code, String why) {
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

    Result done(String eventId, String orderId, Outcome outcome, String detail) {
        payments.firstTime(PAY_CONSUMER, eventId);
        return new Result(orderId, outcome, detail);
    }

    static BigDecimal nz(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    static long minor(BigDecimal amount, String currency) {
        return MinorUnits.toMinor(nz(amount), currency);
    }
}
