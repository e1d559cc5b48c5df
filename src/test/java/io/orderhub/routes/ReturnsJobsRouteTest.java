package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** routes/returns-jobs.camel.yaml: each run of the timer runs the returns job once; a failure is not swallowed. */
class ReturnsJobsRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("runReturnJobs", r -> {
            r.replaceFromWith("direct:runReturnJobs");
            mockStep(r, "finishReturns");
        });
    }

    @Test
    void eachRunFinishesReturns() throws Exception {
        step("finishReturns").expectedMessageCount(2);
        send("direct:runReturnJobs", null, Map.of());
        send("direct:runReturnJobs", null, Map.of());
        step("finishReturns").assertIsSatisfied();
    }

    @Test
    void aFailedRunIsReported() {
        step("finishReturns").whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("carrier away");
        });
        assertThat(send("direct:runReturnJobs", null, Map.of()).getException()).hasMessage("carrier away");
    }
}
