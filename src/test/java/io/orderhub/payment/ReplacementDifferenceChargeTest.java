package io.orderhub.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.inventory.AllocationService;
import io.orderhub.inventory.StageResult;
import io.orderhub.sync.SyncTargetsServer;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 18: a replacement after payment (PAID, not yet allocated) with a higher grand total has the difference charged
 * once through the order's gateway, as a second charge beside the first ({@link AmendmentCharges}); a declined
 * difference undoes the replacement; the same replacement again charges nothing; a cancellation afterwards refunds
 * both charges. The allocation stage is stopped while an order is PAID so that the replacement finds it unallocated.
 */
class ReplacementDifferenceChargeTest extends PaymentTestSupport {

    @Autowired
    CamelContext camel;
    @Autowired
    AllocationService allocations;
    @Autowired
    PendingPayments pending;

    @BeforeEach
    void allocationWaits() throws Exception {
        camel.getRouteController().stopRoute("allocateStock");
    }

    @AfterEach
    void allocationRuns() throws Exception {
        SyncTargetsServer.server().removeStubsByMetadata(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
                "$.test", equalTo("difference")));
        camel.getRouteController().startRoute("allocateStock");
    }

    private ObjectNode replacement(ObjectNode original, int quantity, String token) {
        ObjectNode r = orderFor(original.at("/lines/0/sku").asText(), quantity, Map.of("method", "card", "token", token));
        r.put("externalId", original.get("externalId").asText());
        r.put("purpose", "REPLACE");
        return r;
    }

    private List<com.github.tomakehurst.wiremock.verification.LoggedRequest> intentsWithKey(String key) {
        return SyncTargetsServer.server().findAll(postRequestedFor(urlEqualTo(GATEWAY_PATH + "/v1/payment_intents"))
                .withHeader("Idempotency-Key", equalTo(key)));
    }

    private List<Map<String, Object>> rows(String orderId, String kind) {
        return payments(orderId).stream().filter(p -> kind.equals(p.get("kind"))).toList();
    }

    private int reserved(String orderId) {
        Integer n = jdbc.queryForObject("select coalesce(sum(quantity), 0) from reservations where order_id = ?",
                Integer.class, orderId);
        return n == null ? 0 : n;
    }

    @Test
    void aHigherTotalChargesTheDifferenceOnceAndACancellationRefundsBothCharges() {
        String sku = product(10);
        ObjectNode original = orderFor(sku, 1, Map.of("method", "card", "token", "pm_card_visa"));
        String orderId = submit(MARKETPLACE_KEY, original);
        awaitStatus(orderId, "PAID");

        Response replaced = postJson("/api/orders", MARKETPLACE_KEY, replacement(original, 3, "pm_card_visa"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.body().at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("30.00");

        // the difference: one PaymentIntent of 20.00 with its own key, off session, beside the first charge
        String key = AmendmentCharges.amendKey(orderId, 1);
        assertThat(rows(orderId, "CHARGE")).hasSize(2).allSatisfy(c -> assertThat(c).containsEntry("status", "SUCCEEDED"));
        assertThat(rows(orderId, "CHARGE").get(1)).containsEntry("idempotency_key", key)
                .satisfies(c -> assertThat((BigDecimal) c.get("amount")).isEqualByComparingTo("20.00"));
        assertThat(intentsWithKey(key)).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .contains("amount=2000").contains("currency=eur").contains("payment_method=pm_card_visa")
                .contains("off_session=true").contains("confirm=true"));
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).isEqualTo(2);
        assertThat(reserved(orderId)).isEqualTo(3);
        assertThat(outboxPayloads(orderId, "order.paid")).hasSize(2);

        // the same replacement again, and the pending-payments job: nothing more is charged
        Response again = postJson("/api/orders", MARKETPLACE_KEY, replacement(original, 3, "pm_card_visa"));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        pending.retryPending();
        assertThat(rows(orderId, "CHARGE")).hasSize(2);
        assertThat(intentsWithKey(key)).hasSize(1);
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).isEqualTo(2);

        // cancelled: each charge refunded through its own intent, 10.00 + 20.00, never more than captured
        Response cancel = postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, Map.of("reason", "test"));
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rows(orderId, "REFUND")).hasSize(2)
                .allSatisfy(r -> assertThat(r).containsEntry("status", "SUCCEEDED")));
        List<Map<String, Object>> charges = rows(orderId, "CHARGE");
        List<Map<String, Object>> refunds = rows(orderId, "REFUND");
        BigDecimal sum = refunds.stream().map(r -> (BigDecimal) r.get("amount")).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualByComparingTo("30.00");
        for (Map<String, Object> charge : charges) {
            assertThat(refunds).filteredOn(r -> charge.get("intent_id").equals(r.get("intent_id"))).singleElement()
                    .satisfies(r -> assertThat((BigDecimal) r.get("amount")).isEqualByComparingTo((BigDecimal) charge.get("amount")));
        }
        assertThat(sandboxCount(orderId, "/v1/refunds/")).isEqualTo(2);
    }

    @Test
    void aDeclinedDifferenceUndoesTheReplacementAndTheOrderIsAllocatedAsBefore() throws Exception {
        String sku = product(10);
        ObjectNode original = orderFor(sku, 1, Map.of("method", "card", "token", "pm_card_visa"));
        String orderId = submit(MARKETPLACE_KEY, original);
        awaitStatus(orderId, "PAID");

        Response refused = postJson("/api/orders", MARKETPLACE_KEY,
                replacement(original, 2, "pm_card_chargeDeclinedInsufficientFunds"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.text()).contains("the difference of 10.00 EUR").contains("declined by stripe")
                .contains("insufficient_funds").contains("undone");

        Response order = get("/api/orders/" + orderId, MARKETPLACE_KEY);
        assertThat(order.body().at("/lines/0/quantity").asInt()).isEqualTo(1);
        assertThat(order.body().at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(order.body().at("/payment/token").asText()).isEqualTo("pm_card_visa");
        assertThat(order.body().get("status").asText()).isEqualTo("PAID");
        assertThat(reserved(orderId)).isEqualTo(1);
        assertThat(rows(orderId, "CHARGE")).extracting(c -> c.get("status")).containsExactly("SUCCEEDED", "DECLINED");
        assertThat(intentsWithKey(AmendmentCharges.amendKey(orderId, 1))).hasSize(1);

        camel.getRouteController().startRoute("allocateStock");
        awaitStatus(orderId, "ALLOCATED");
    }

    @Test
    void whileTheDifferenceIsBeingChargedTheOrderIsNotAllocated() throws Exception {
        String sku = product(10);
        ObjectNode original = orderFor(sku, 1, Map.of("method", "card", "token", "pm_card_visa"));
        String orderId = submit(MARKETPLACE_KEY, original);
        awaitStatus(orderId, "PAID");
        String key = AmendmentCharges.amendKey(orderId, 1);
        SyncTargetsServer.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(GATEWAY_PATH + "/v1/payment_intents"))
                .withHeader("Idempotency-Key", equalTo(key)).atPriority(1)
                .withMetadata(Map.of("test", "difference")).willReturn(aResponse().withStatus(503)));

        Response replaced = postJson("/api/orders", MARKETPLACE_KEY, replacement(original, 2, "pm_card_visa"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(rows(orderId, "CHARGE").get(1)).containsEntry("status", "PENDING");

        StageResult held = allocations.onOrderPaid("test-held-" + orderId, orderId);
        assertThat(held.outcome()).isEqualTo(StageResult.Outcome.HELD);
        assertThat(held.detail()).contains("the difference of 10.00 EUR").contains("is being charged").contains(key);
        assertThat(status(orderId)).isEqualTo("PAID");

        // the gateway is back: the pending-payments job charges it with the same key; order.paid again → ALLOCATED
        SyncTargetsServer.server().removeStubsByMetadata(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
                "$.test", equalTo("difference")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            pending.retryPending();
            assertThat(rows(orderId, "CHARGE").get(1)).containsEntry("status", "SUCCEEDED");
        });
        assertThat(SyncTargetsServer.server().findAll(postRequestedFor(urlEqualTo(GATEWAY_PATH + "/v1/payment_intents"))
                .withRequestBody(containing("amount=1000")).withHeader("Idempotency-Key", equalTo(key)))).isNotEmpty();
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).isEqualTo(2);
        camel.getRouteController().startRoute("allocateStock");
        awaitStatus(orderId, "ALLOCATED");
    }

    @Test
    void aPrepaidOrdersDifferenceGoesOnTheInvoiceWithoutAGatewayCall() throws Exception {
        String sku = product(10);
        ObjectNode original = orderFor(sku, 1, Map.of("method", "prepaid", "reference", "MKT-PAY-1"));
        String orderId = submit(MARKETPLACE_KEY, original);
        awaitStatus(orderId, "PAID");

        ObjectNode r = orderFor(sku, 2, Map.of("method", "prepaid", "reference", "MKT-PAY-1"));
        r.put("externalId", original.get("externalId").asText());
        r.put("purpose", "REPLACE");
        Response replaced = postJson("/api/orders", MARKETPLACE_KEY, r);
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);

        assertThat(rows(orderId, "INVOICE")).singleElement().satisfies(i -> assertThat(i)
                .containsEntry("status", "SUCCEEDED").containsEntry("method", "prepaid")
                .containsEntry("idempotency_key", AmendmentCharges.amendKey(orderId, 1))
                .satisfies(row -> assertThat((BigDecimal) row.get("amount")).isEqualByComparingTo("10.00")));
        assertThat(rows(orderId, "CHARGE")).isEmpty();
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).isZero();
        camel.getRouteController().startRoute("allocateStock");
        // startRoute again in @AfterEach is harmless
        awaitStatus(orderId, "ALLOCATED");
    }
}
