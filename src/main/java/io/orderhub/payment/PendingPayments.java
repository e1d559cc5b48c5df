package io.orderhub.payment;

import java.time.Duration;

import io.orderhub.common.JobLeases;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.payment.PaymentService.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The pending-payments job, run by the timer in {@code routes/payment-stages.camel.yaml}. */
@Component("pendingPayments")
public class PendingPayments {

    private static final Logger log = LoggerFactory.getLogger(PendingPayments.class);

    private final PaymentRepository payments;
    private final PaymentGateways gateways;
    private final PaymentProperties properties;
    private final GatewayCalls calls;
    private final CardPayment card;
    private final Refunds refunds;
    private final OrderRepository orderRows;
    private final JobLeases leases;
    private final Duration pendingRetryInterval;
    private final AmendmentCharges amendments;
    private final ExchangeDifferences exchanges;

    PendingPayments(PaymentRepository payments, PaymentGateways gateways, PaymentProperties properties, GatewayCalls calls,
                    CardPayment card, Refunds refunds, OrderRepository orderRows, JobLeases leases,
                    @Value("${orderhub.payment.pending-retry-interval-ms}") long pendingRetryIntervalMs,
                    AmendmentCharges amendments, ExchangeDifferences exchanges) {
        this.amendments = amendments;
        this.exchanges = exchanges;
        this.payments = payments;
        this.gateways = gateways;
        this.properties = properties;
        this.calls = calls;
        this.card = card;
        this.refunds = refunds;
        this.orderRows = orderRows;
        this.leases = leases;
        this.pendingRetryInterval = Duration.ofMillis(pendingRetryIntervalMs);
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
                if (Payment.CHARGE.equals(row.kind()) && AmendmentCharges.isAmendment(row)) {
                    log.info("pending difference of {} sent again: {}", row.orderId(),
                            amendments.resend(row).orElse("charged"));
                } else if (Payment.CHARGE.equals(row.kind()) && ExchangeDifferences.isExchangeCharge(row)) {
                    log.info("pending exchange difference of {} sent again: {}", row.orderId(),
                            exchanges.send(row).status());
                } else if (Payment.CHARGE.equals(row.kind())) {
                    CanonicalOrder order = orderRows.find(row.orderId()).orElseThrow();
                    String token = order.payment() == null ? null : order.payment().token();
                    Result r = card.finishCharge(null, row.orderId(), row, calls.send(row, token));
                    log.info("pending payment sent again: {}", r);
                } else {
                    refunds.refundOne(row);
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
}
