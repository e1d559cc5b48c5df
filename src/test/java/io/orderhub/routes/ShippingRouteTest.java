package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/shipping.camel.yaml, its jobs: each shipping job's timer runs its own step (labels, trackers, completion).
 * When the dispatcher and the completion run (a packing's wake-up, their intervals, the idle backoff) is their
 * schedules' (WakeableScheduleTest, ShippingFlowTest.aPackingWakesTheDispatcherOnceItHasCommitted).
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
}
