package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/payment-stages.camel.yaml: a verified event is charged or refunded; a forged one never reaches the
 * payment step and goes to the broker's dead letter queue; a gateway failure rolls the event back; the pending
 * payments job runs its step.
 */
class PaymentStagesRouteTest extends RouteTestSupport {

    static final String BROKER_DEAD_LETTERS = "jms:queue:{{orderhub.ops.broker-dead-letter-queue}}";

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("payConfirmedOrder", r -> {
            r.replaceFromWith("direct:payConfirmedOrder");
            mockStep(r, "takePayment");
        });
        advise("refundCancelledOrder", r -> {
            r.replaceFromWith("direct:refundCancelledOrder");
            mockStep(r, "sendRefund");
        });
        advise("retryPendingPayments", r -> {
            r.replaceFromWith("direct:retryPendingPayments");
            mockStep(r, "sendPendingPayments");
        });
    }

    @Test
    void aVerifiedConfirmedOrderIsCharged() throws Exception {
        step("takePayment").expectedBodiesReceived("{\"type\":\"order.confirmed\"}");
        Exchange done = send("direct:payConfirmedOrder", "{\"type\":\"order.confirmed\"}", Map.of());
        assertThat(done.getException()).isNull();
        step("takePayment").assertIsSatisfied();
        assertThat(calls()).containsExactly("eventOrigin.verify");
    }

    @Test
    void aForgedCancellationIsNotRefunded() throws Exception {
        answer("eventOrigin.verify", args -> {
            throw new io.orderhub.security.EventSignatures.ForgedEventException("no hub signature");
        });
        sentTo(BROKER_DEAD_LETTERS).expectedMessageCount(1);

        Exchange done = send("direct:refundCancelledOrder", "{\"type\":\"order.cancelled\"}", Map.of());

        assertThat(done.getException()).isNull();
        sentTo(BROKER_DEAD_LETTERS).assertIsSatisfied();
        assertThat(step("sendRefund").getReceivedCounter()).isZero();
    }

    @Test
    void aGatewayFailureRollsTheEventBackForRedelivery() {
        step("takePayment").whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("gateway unavailable");
        });

        Exchange done = send("direct:payConfirmedOrder", "{}", Map.of());

        assertThat(done.getException()).hasMessage("gateway unavailable");
        assertThat(sentTo(BROKER_DEAD_LETTERS).getReceivedCounter()).isZero();
    }

    @Test
    void thePendingPaymentsJobSendsThemAgain() throws Exception {
        step("sendPendingPayments").expectedMessageCount(1);
        send("direct:retryPendingPayments", null, Map.of());
        step("sendPendingPayments").assertIsSatisfied();
    }
}
