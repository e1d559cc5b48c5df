package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/orders-api.camel.yaml, the two order submissions: receipt first, then the caller, then the intake's steps
 * in order (the mapping the recognise step names reaching the map step), and the answer made of what the create
 * step left; a step's refusal is answered as a problem (apiErrors) and the steps after it do not run.
 */
class OrdersApiRouteTest extends RouteTestSupport {

    @BeforeEach
    void adviseRoutes() throws Exception {
        // the REST DSL inlines each route into its rest verb's: the test sends to a direct endpoint instead
        advise("submitOrder", r -> {
            r.replaceFromWith("direct:submitOrder");
            mockStep(r, "answerSubmission");
        });
        advise("submitChannelDocument", r -> {
            r.replaceFromWith("direct:submitChannelDocument");
            mockStep(r, "answerDocument");
        });
    }

    /**
     * The bean calls of the route's own steps: without the guard in front of every REST route (apiErrors'
     * interceptFrom, which AccessMatrixTest and ApiAccessTest cover; the advised route runs it again).
     */
    private static java.util.List<String> steps() {
        return calls().stream().filter(call -> !call.equals("apiGuard.guard")).toList();
    }

    @Test
    void aCanonicalOrderIsStoredAuthenticatedReadValidatedCreatedAndAnswered() throws Exception {
        answer("orderApi.create", args -> {
            ((Exchange) args[0]).getMessage().setBody("the submission");
            return null;
        });
        step("answerSubmission").expectedBodiesReceived("the submission");

        Exchange done = send("direct:submitOrder", "{}", Map.of(Exchange.CONTENT_TYPE, "application/json"));

        assertThat(done.getException()).isNull();
        step("answerSubmission").assertIsSatisfied();
        assertThat(steps()).containsExactly("orderApi.storeReceipt", "apiGuard.authorize",
                "orderApi.requireJson", "orderApi.readCanonical", "intakeSteps.validate", "orderApi.create");
    }

    @Test
    void aChannelDocumentGoesThroughEveryStepAndIsMappedWithTheFileTheRecogniseStepNamed() throws Exception {
        AtomicReference<Object> mappedWith = new AtomicReference<>();
        answer("intakeSteps.recognise", args -> {
            ((Exchange) args[0]).setProperty("orderhubMapping", "b2b/ubl-order.xslt");
            return null;
        });
        answer("intakeSteps.map", args -> {
            mappedWith.set(args[1]);
            return null;
        });
        step("answerDocument").expectedMessageCount(1);

        Exchange done = send("direct:submitChannelDocument", "<Order/>", Map.of("channel", "b2b"));

        assertThat(done.getException()).isNull();
        step("answerDocument").assertIsSatisfied();
        assertThat(steps()).containsExactly("orderApi.storeReceipt", "apiGuard.authorize",
                "orderApi.openDocument", "intakeSteps.recognise", "intakeSteps.map", "intakeSteps.validate",
                "orderApi.create");
        assertThat(mappedWith.get()).isEqualTo("b2b/ubl-order.xslt");
    }

    @Test
    void aRefusalIsAnsweredAsAProblemAndTheStepsAfterItDoNotRun() {
        answer("intakeSteps.validate", args -> {
            throw OrderHubException.field(Problem.INVALID, "/lines/0/sku", "is unknown");
        });

        Exchange done = send("direct:submitChannelDocument", "<Order/>", Map.of("channel", "b2b"));

        assertThat(done.getException()).as("handled: the problem is the answer").isNull();
        assertThat(step("answerDocument").getReceivedCounter()).isZero();
        assertThat(steps()).endsWith("intakeSteps.validate", "apiResponses.problem")
                .doesNotContain("orderApi.create");
    }

    @Test
    void theReceiptIsStoredBeforeTheCallerIsRefused() {
        answer("apiGuard.authorize", args -> {
            throw new OrderHubException(Problem.UNAUTHENTICATED, "missing or unknown API key");
        });

        Exchange done = send("direct:submitOrder", "{}", Map.of(Exchange.CONTENT_TYPE, "application/json"));

        assertThat(done.getException()).isNull();
        assertThat(step("answerSubmission").getReceivedCounter()).isZero();
        assertThat(steps()).containsExactly("orderApi.storeReceipt", "apiGuard.authorize",
                "apiResponses.problem");
    }
}
