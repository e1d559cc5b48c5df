package io.orderhub.payment;

import java.math.BigDecimal;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.payment.PaymentService.Outcome;
import io.orderhub.payment.PaymentService.Result;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import static io.orderhub.payment.PaymentDecisions.minor;
import static io.orderhub.payment.PaymentDecisions.nz;
import static io.orderhub.payment.PaymentService.PAY_CONSUMER;

/** Prepaid at the channel: PAID with the channel's payment reference, declined without one. */
@Component
class PrepaidPayment implements PaymentMethod {

    private final PaymentRepository payments;
    private final OrderService orders;
    private final PaymentDecisions decisions;
    private final TransactionTemplate tx;

    PrepaidPayment(PaymentRepository payments, OrderService orders, PaymentDecisions decisions, TransactionTemplate tx) {
        this.payments = payments;
        this.orders = orders;
        this.decisions = decisions;
        this.tx = tx;
    }

    @Override
    public String method() {
        return "prepaid";
    }

    @Override
    public Result take(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        return recordPrepaid(eventId, order, p, amount);
    }

    Result recordPrepaid(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        String reference = p.reference() == null || p.reference().isBlank() ? null : p.reference().trim();
        if (reference == null) {
            return decisions.decline(eventId, order, null, "payment: prepaid order without a payment reference");
        }
        return tx.execute(status -> {
            decisions.stillAsRead(order);
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
}
