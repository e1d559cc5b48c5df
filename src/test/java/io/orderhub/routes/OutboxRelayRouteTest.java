package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/outbox-relay.camel.yaml: each run of the relay's scheduler relays a batch; a batch is claimed, published
 * and marked in that order, and a failed publish marks nothing. (When the scheduler runs: ScheduleTriggerTest.)
 */
class OutboxRelayRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("relayOutbox", r -> {
            r.replaceFromWith("direct:relayOutbox");
            mockStep(r, "relayBatch");
        });
        advise("relayOutboxBatch", r -> {
        });
    }

    @Test
    void eachRunRelaysABatch() {
        send("direct:relayOutbox", null, Map.of());
        assertThat(step("relayBatch").getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void aBatchIsClaimedPublishedAndMarked() {
        Exchange done = send("direct:relayOutboxBatch", null, Map.of());

        assertThat(done.getException()).isNull();
        assertThat(calls()).containsExactly("outbox.claimBatch", "eventPublisher.publish", "outbox.markPublished");
    }

    @Test
    void aFailedPublishMarksNothing() {
        answer("eventPublisher.publish", args -> {
            throw new IllegalStateException("broker away");
        });

        Exchange done = send("direct:relayOutboxBatch", null, Map.of());

        assertThat(done.getException()).hasMessageContaining("broker away");
        assertThat(calls()).containsExactly("outbox.claimBatch", "eventPublisher.publish");
    }
}
