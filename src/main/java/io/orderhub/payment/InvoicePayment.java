package io.orderhub.payment;

import java.math.BigDecimal;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.payment.PaymentService.Outcome;
import io.orderhub.payment.PaymentService.Result;
import io.orderhub.sync.inbound.CrmCustomers;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import static io.orderhub.payment.PaymentDecisions.minor;
import static io.orderhub.payment.PaymentDecisions.nz;
import static io.orderhub.payment.PaymentService.PAY_CONSUMER;
import static io.orderhub.payment.PaymentService.SYSTEM;

/** Invoice: credit approved against the CRM's credit limit of a customer registered for the channel. */
@Component
class InvoicePayment implements PaymentMethod {

    private final PaymentRepository payments;
    private final OrderService orders;
    private final CrmCustomers customers;
    private final PaymentDecisions decisions;
    private final TransactionTemplate tx;

    InvoicePayment(PaymentRepository payments, OrderService orders, CrmCustomers customers, PaymentDecisions decisions,
                   TransactionTemplate tx) {
        this.payments = payments;
        this.orders = orders;
        this.customers = customers;
        this.decisions = decisions;
        this.tx = tx;
    }

    @Override
    public String method() {
        return "invoice";
    }

    @Override
    public Result take(String eventId, CanonicalOrder order, CanonicalOrder.Payment p, BigDecimal amount) {
        return approveCredit(eventId, order, p, amount);
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
            return decisions.decline(eventId, order, "credit_not_registered", "payment: invoice needs customer.externalId of a"
                    + " customer registered for invoice in channel " + order.channel());
        }
        String terms = p.terms() == null ? "invoice" : p.terms();
        Result r = tx.execute(status -> {
            decisions.stillAsRead(order);
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
}
