package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/inventory-stages.camel.yaml (with event-origin's verifiedEvents): an event is verified before the stage
 * acts; a forged one goes to the broker's dead letter queue and the stage never sees it.
 */
class InventoryStagesRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("reserveStock", r -> {
            r.replaceFromWith("direct:reserveStock");
            mockStep(r, "reserveOrderStock");
        });
        advise("allocateStock", r -> {
            r.replaceFromWith("direct:allocateStock");
            mockStep(r, "allocateOrderStock");
        });
        advise("expireReservations", r -> r.replaceFromWith("direct:expireReservations"));
    }

    @Test
    void aVerifiedEventReservesStock() throws Exception {
        step("reserveOrderStock").expectedBodiesReceived("{\"type\":\"order.created\"}");
        send("direct:reserveStock", "{\"type\":\"order.created\"}", Map.of());
        step("reserveOrderStock").assertIsSatisfied();
        assertThat(calls()).containsExactly("eventOrigin.verify");
    }

    @Test
    void aForgedEventIsDeadLetteredAndNotActedOn() throws Exception {
        answer("eventOrigin.verify", args -> {
            throw new io.orderhub.security.EventSignatures.ForgedEventException("no hub signature");
        });
        step("allocateOrderStock").expectedMessageCount(0);
        sentTo("jms:queue:{{orderhub.ops.broker-dead-letter-queue}}").expectedMessageCount(1);

        Exchange done = send("direct:allocateStock", "{\"type\":\"order.paid\"}", Map.of());

        assertThat(done.getException()).as("handled: the consumer commits").isNull();
        step("allocateOrderStock").assertIsSatisfied();
        sentTo("jms:queue:{{orderhub.ops.broker-dead-letter-queue}}").assertIsSatisfied();
        assertThat(calls()).containsExactly("eventOrigin.verify", "eventOrigin.deadLetter");
    }

    @Test
    void theExpiryTimerCancelsExpiredReservations() {
        send("direct:expireReservations", null, Map.of());
        assertThat(calls()).containsExactly("inventoryStages.expireReservations");
    }
}
