package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/shipping.camel.yaml, its jobs: each shipping job's timer runs its own step (labels, trackers, completion);
 * the dispatcher's and the completion's runs that found nothing count as idle for their scheduler's backoff.
 * The file's REST routes (carrier callbacks, held parcels) are tested through HTTP (CarrierWebhookTest, AccessMatrixTest).
 */
class ShippingRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("dispatchPackedShipments", r -> {
            r.replaceFromWith("direct:dispatchPackedShipments");
            mockStep(r, "buyLabels");
        });
        advise("pollCarrierTrackers", r -> {
            r.replaceFromWith("direct:pollCarrierTrackers");
            mockStep(r, "pollTrackers");
        });
        advise("completeDeliveredOrders", r -> {
            r.replaceFromWith("direct:completeDeliveredOrders");
            mockStep(r, "completeAfterHold");
        });
    }

    @Test
    void eachJobRunsItsOwnStep() {
        send("direct:dispatchPackedShipments", null, Map.of());
        send("direct:pollCarrierTrackers", null, Map.of());
        send("direct:pollCarrierTrackers", null, Map.of());

        assertThat(step("buyLabels").getReceivedCounter()).isEqualTo(1);
        assertThat(step("pollTrackers").getReceivedCounter()).isEqualTo(2);
        assertThat(step("completeAfterHold").getReceivedCounter()).isZero();

        send("direct:completeDeliveredOrders", null, Map.of());
        assertThat(step("completeAfterHold").getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void runsThatFoundNothingCountAsIdle() {
        step("buyLabels").whenAnyExchangeReceived(e -> e.getMessage().setBody(0));
        Exchange idle = send("direct:dispatchPackedShipments", null, Map.of());
        assertThat(idle.getProperty(Exchange.SCHEDULER_POLLED_MESSAGES, Boolean.class)).as("nothing labelled").isFalse();

        step("buyLabels").whenAnyExchangeReceived(e -> e.getMessage().setBody(3));
        Exchange busy = send("direct:dispatchPackedShipments", null, Map.of());
        assertThat(busy.getProperty(Exchange.SCHEDULER_POLLED_MESSAGES, Boolean.class)).as("3 labelled").isTrue();

        step("completeAfterHold").whenAnyExchangeReceived(e -> e.getMessage().setBody(0));
        Exchange none = send("direct:completeDeliveredOrders", null, Map.of());
        assertThat(none.getProperty(Exchange.SCHEDULER_POLLED_MESSAGES, Boolean.class)).as("nothing completed").isFalse();
    }
}
