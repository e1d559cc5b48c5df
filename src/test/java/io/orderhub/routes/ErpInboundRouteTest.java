package io.orderhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/erp-inbound.camel.yaml, its queued and polled parts: an update from the queue is applied; a poison one is
 * dead-lettered with its reason (handled), any other failure rolls back for redelivery; the poll job runs its step.
 */
class ErpInboundRouteTest extends RouteTestSupport {

    static final String STOCK_DEAD_LETTERS = "jms:queue:{{orderhub.erp-inbound.dead-letter-queue}}";
    static final String CUSTOMER_DEAD_LETTERS = "jms:queue:{{orderhub.crm-inbound.dead-letter-queue}}";

    @BeforeEach
    void adviseRoutes() throws Exception {
        advise("receiveErpStockUpdate", r -> {
            r.replaceFromWith("direct:receiveErpStockUpdate");
            mockStep(r, "applyQueuedErpUpdate");
        });
        advise("receiveCrmCustomerUpdate", r -> {
            r.replaceFromWith("direct:receiveCrmCustomerUpdate");
            mockStep(r, "storeQueuedCustomerUpdate");
        });
        advise("pullErpStockLevels", r -> {
            r.replaceFromWith("direct:pullErpStockLevels");
            mockStep(r, "pullStockLevels");
        });
    }

    @Test
    void aQueuedStockUpdateIsApplied() throws Exception {
        step("applyQueuedErpUpdate").expectedBodiesReceived("{\"levels\":[]}");
        Exchange done = send("direct:receiveErpStockUpdate", "{\"levels\":[]}", Map.of());
        assertThat(done.getException()).isNull();
        step("applyQueuedErpUpdate").assertIsSatisfied();
        assertThat(sentTo(STOCK_DEAD_LETTERS).getReceivedCounter()).isZero();
    }

    @Test
    void aPoisonStockUpdateIsDeadLetteredWithItsReason() throws Exception {
        step("applyQueuedErpUpdate").whenAnyExchangeReceived(e -> {
            throw new IllegalArgumentException("/levels/0/sku: no product");
        });
        answer("inboundDeadLetters.poison", args -> true);
        sentTo(STOCK_DEAD_LETTERS).expectedMessageCount(1);

        Exchange done = send("direct:receiveErpStockUpdate", "{\"levels\":[{}]}", Map.of());

        assertThat(done.getException()).isNull();
        sentTo(STOCK_DEAD_LETTERS).assertIsSatisfied();
        assertThat(calls()).containsSubsequence("inboundDeadLetters.poison", "inboundDeadLetters.deadLetter");
    }

    @Test
    void anyOtherFailureRollsTheUpdateBack() {
        step("storeQueuedCustomerUpdate").whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("transient");
        });

        Exchange done = send("direct:receiveCrmCustomerUpdate", "{}", Map.of());

        assertThat(done.getException()).hasMessage("transient");
        assertThat(sentTo(CUSTOMER_DEAD_LETTERS).getReceivedCounter()).isZero();
        assertThat(calls()).doesNotContain("inboundDeadLetters.deadLetter");
    }

    @Test
    void thePollJobRunsItsStep() {
        send("direct:pullErpStockLevels", null, Map.of());
        assertThat(step("pullStockLevels").getReceivedCounter()).isEqualTo(1);
    }
}
