package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/planning-jobs.camel.yaml: the recompute job runs its step; the reorder check claims the crossings, sends
 * one suggestion each, then marks them sent; a failed send marks nothing.
 */
class PlanningJobsRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("recomputePlanning", r -> {
            r.replaceFromWith("direct:recomputePlanning");
            mockStep(r, "recomputeAllFigures");
        });
        advise("checkReorderPoints", r -> r.replaceFromWith("direct:reorderTimer"));
        advise("sendReorderSuggestions", r -> {
            mockStep(r, "claimReorderCrossings");
            mockStep(r, "sendReorderSuggestion");
            mockStep(r, "markReorderSuggestionsSent");
        });
    }

    @Test
    void theRecomputeJobRunsItsStep() throws Exception {
        step("recomputeAllFigures").expectedMessageCount(1);
        send("direct:recomputePlanning", null, Map.of());
        step("recomputeAllFigures").assertIsSatisfied();
    }

    @Test
    void eachCrossingIsSentThenAllAreMarked() throws Exception {
        step("claimReorderCrossings").whenAnyExchangeReceived(e -> e.getIn().setBody(List.of("SKU-1", "SKU-2")));
        step("sendReorderSuggestion").expectedBodiesReceived("SKU-1", "SKU-2");
        step("markReorderSuggestionsSent").expectedMessageCount(1);

        send("direct:reorderTimer", null, Map.of());

        step("sendReorderSuggestion").assertIsSatisfied();
        step("markReorderSuggestionsSent").assertIsSatisfied();
    }

    @Test
    void aFailedSendMarksNothing() {
        step("claimReorderCrossings").whenAnyExchangeReceived(e -> e.getIn().setBody(List.of("SKU-1")));
        step("sendReorderSuggestion").whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("queue away");
        });

        assertThat(send("direct:reorderTimer", null, Map.of()).getException()).isNotNull();
        assertThat(step("markReorderSuggestionsSent").getReceivedCounter()).isZero();
    }
}
