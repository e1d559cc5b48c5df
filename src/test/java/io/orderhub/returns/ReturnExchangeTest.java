package io.orderhub.returns;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.payment.ExchangeDifferences;
import io.orderhub.payment.PaymentService;
import io.orderhub.sync.SyncTargetsServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Exchanges with a price difference, in the running hub with the Stripe sandbox: equal values move no money, a
 * dearer replacement is charged once for exactly the difference (off session, through the original charge's gateway),
 * a cheaper one refunded once for exactly the difference; a lost gateway answer or the job again gives no second
 * payment. The linked order holds the replacement goods and its stock is reserved.
 */
class ReturnExchangeTest extends ReturnTestSupport {

    @Autowired
    ReturnJobs jobs;
    @Autowired
    ReturnService returns;

    @Test
    void equalValuesMoveNoMoneyAndTheNamedGoodsAreReserved() {
        String mug = product(10);
        String cup = product(10);
        String orderId = shippedOrder(mug, 2, null, 0);

        // the contract: exchange items only with EXCHANGE, each SKU priced
        Response notExchange = requestReturn(orderId, MARKETPLACE_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 1,
                "quantity", 1)), "resolution", "REFUND", "exchange", List.of(Map.of("sku", cup, "quantity", 1))));
        assertThat(notExchange.status()).as(notExchange.toString()).isEqualTo(422);
        assertThat(notExchange.body().at("/errors/0/field").asText()).isEqualTo("/exchange");
        Response unknown = requestReturn(orderId, MARKETPLACE_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 1,
                "quantity", 1)), "resolution", "EXCHANGE", "exchange", List.of(Map.of("sku", "NO-SUCH-SKU-X", "quantity", 1))));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
        assertThat(unknown.body().at("/errors/0/field").asText()).isEqualTo("/exchange/0/sku");
        Response zero = requestReturn(orderId, MARKETPLACE_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 1,
                "quantity", 1)), "resolution", "EXCHANGE", "exchange", List.of(Map.of("sku", cup, "quantity", 0))));
        assertThat(zero.status()).as(zero.toString()).isEqualTo(422);
        assertThat(zero.body().at("/errors/0/field").asText()).isEqualTo("/exchange/0/quantity");

        Response created = requestReturn(orderId, MARKETPLACE_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 1,
                "quantity", 1, "reason", "wrong colour")), "resolution", "EXCHANGE", "exchange",
                List.of(Map.of("sku", cup, "quantity", 1))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String returnId = created.body().get("returnId").asText();
        assertThat(created.body().at("/exchange/items/0/sku").asText()).isEqualTo(cup);
        assertThat(created.body().at("/exchange/items/0/amount").decimalValue()).isEqualByComparingTo("10.00");

        JsonNode settled = receive(returnId);
        assertThat(settled.get("status").asText()).isEqualTo("EXCHANGED");
        assertThat(settled.at("/exchange/difference/amount").decimalValue()).isEqualByComparingTo("0");
        String linked = settled.get("exchangeOrderId").asText();
        JsonNode newOrder = get("/api/orders/" + linked, OPS_KEY).body();
        assertThat(newOrder.at("/lines/0/sku").asText()).isEqualTo(cup);
        assertThat(newOrder.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("10.00");
        // its stock is reserved (then allocated) as for any order: one cup less available; the mug is back on the shelf
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(linked)).isIn("PAID", "ALLOCATED",
                "SHIPPED", "DELIVERED", "COMPLETED"));
        assertThat(available(cup)).isEqualTo(9);
        assertThat(available(mug)).isEqualTo(9);
        // no money moved on the original order beyond its first charge
        assertThat(jdbc.queryForList("select kind from payments where order_id = ?", String.class, orderId))
                .containsExactly("CHARGE");
        assertThat(SyncTargetsServer.server().findAll(postRequestedFor(urlEqualTo("/stripe/v1/payment_intents"))
                .withHeader("Idempotency-Key", equalTo(ExchangeDifferences.key(orderId, returnId))))).isEmpty();
    }

    @Test
    void aDearerReplacementIsChargedOnceForTheDifferenceEvenAfterALostAnswer() {
        String mug = product(10);
        String jug = product(10, "15.00");
        String orderId = shippedOrder(mug, 2, null, 0);
        String returnId = exchangeOneUnit(orderId, jug);

        JsonNode settled = receive(returnId);
        assertThat(settled.get("status").asText()).as(settled.toString()).isEqualTo("EXCHANGED");
        assertThat(settled.at("/exchange/difference/amount").decimalValue()).isEqualByComparingTo("5.00");
        String key = ExchangeDifferences.key(orderId, returnId);
        assertThat(jdbc.queryForMap("select * from payments where idempotency_key = ?", key)).satisfies(p -> {
            assertThat(p).containsEntry("kind", "CHARGE").containsEntry("status", "SUCCEEDED").containsEntry("gateway",
                    "stripe");
            assertThat((BigDecimal) p.get("amount")).isEqualByComparingTo("5.00");
            assertThat(((Number) p.get("amount_minor")).longValue()).isEqualTo(500L);
        });
        assertThat(intentsWithKey(key)).singleElement().satisfies(r -> assertThat(r.getBodyAsString())
                .contains("amount=500").contains("currency=eur").contains("payment_method=pm_card_visa")
                .contains("off_session=true"));
        assertThat(chargesAtSandbox(orderId)).containsExactlyInAnyOrder(2000L, 500L);
        JsonNode newOrder = get("/api/orders/" + settled.get("exchangeOrderId").asText(), OPS_KEY).body();
        assertThat(newOrder.at("/lines/0/sku").asText()).isEqualTo(jug);
        assertThat(newOrder.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("15.00");
        assertThat(jdbc.queryForObject("select count(*) from outbox where order_id = ? and type = 'return.exchanged'",
                Integer.class, orderId)).isEqualTo(1);

        // a second receipt is refused; the job and settling again change nothing
        Response twice = postJson("/api/returns/" + returnId + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "RESTOCK"))));
        assertThat(twice.status()).as(twice.toString()).isEqualTo(409);
        jobs.run();
        returns.settle(returnId);
        assertThat(intentsWithKey(key)).hasSize(1);

        // as if the gateway's answer was lost: the row PENDING again, the return RECEIVED; the job sends the charge
        // again with its key and the gateway answers the first charge
        jdbc.update("update payments set status = 'PENDING', intent_id = null where idempotency_key = ?", key);
        jdbc.update("update returns set status = 'RECEIVED' where return_id = ?", returnId);
        jobs.run();
        assertThat(returnStatus(returnId)).isIn("EXCHANGED", "CLOSED");
        // sent again with the same key (the pending-payments job may have sent it too): the gateway made one intent
        assertThat(intentsWithKey(key)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForObject("select status from payments where idempotency_key = ?", String.class, key))
                .isEqualTo("SUCCEEDED");
        assertThat(chargesAtSandbox(orderId)).containsExactlyInAnyOrder(2000L, 500L);
        assertThat(jdbc.queryForObject("select count(*) from payments where order_id = ?", Integer.class, orderId))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from outbox where order_id = ? and type = 'return.exchanged'",
                Integer.class, orderId)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id like ?", Integer.class,
                "%-" + returnId)).isEqualTo(1);
    }

    @Test
    void aCheaperReplacementIsRefundedOnceForTheDifference() {
        String mug = product(10);
        String spoon = product(10, "4.00");
        String orderId = shippedOrder(mug, 2, null, 0);
        String returnId = exchangeOneUnit(orderId, spoon);

        JsonNode settled = receive(returnId);
        assertThat(settled.get("status").asText()).as(settled.toString()).isEqualTo("EXCHANGED");
        assertThat(settled.at("/exchange/difference/amount").decimalValue()).isEqualByComparingTo("-6.00");
        assertThat(settled.at("/refund/amount").decimalValue()).isEqualByComparingTo("6.00");
        String key = PaymentService.returnRefundKey(orderId, returnId);
        assertThat(jdbc.queryForList("select * from payments where order_id = ? and kind = 'REFUND'", orderId))
                .singleElement().satisfies(p -> {
                    assertThat(p).containsEntry("status", "SUCCEEDED").containsEntry("idempotency_key", key);
                    assertThat((BigDecimal) p.get("amount")).isEqualByComparingTo("6.00");
                });
        jobs.run();
        returns.settle(returnId);
        assertThat(refundsAtSandbox(orderId)).containsExactly(600L);
        JsonNode newOrder = get("/api/orders/" + settled.get("exchangeOrderId").asText(), OPS_KEY).body();
        assertThat(newOrder.at("/lines/0/sku").asText()).isEqualTo(spoon);
        assertThat(newOrder.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("4.00");
        // no charge for the exchange
        assertThat(jdbc.queryForObject("select count(*) from payments where order_id = ? and kind = 'CHARGE'",
                Integer.class, orderId)).isEqualTo(1);
    }

    @Test
    void aDeclinedDifferenceLeavesTheReturnReceivedWithoutAnExchangeOrderUntilOpsRejectsIt() {
        String mug = product(10);
        String jug = product(10, "25.00");
        String orderId = shippedOrder(mug, 1, null, 0);
        String returnId = exchangeOneUnit(orderId, jug);
        String key = ExchangeDifferences.key(orderId, returnId);
        SyncTargetsServer.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                        urlEqualTo("/stripe/v1/payment_intents")).withHeader("Idempotency-Key", equalTo(key)).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(402)
                        .withHeader("Content-Type", "application/json").withBody("""
                                {"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                                 "message": "Your card has insufficient funds."}}""")));

        JsonNode received = receive(returnId);
        assertThat(received.get("status").asText()).as(received.toString()).isEqualTo("RECEIVED");
        assertThat(received.has("exchangeOrderId")).isFalse();
        assertThat(jdbc.queryForObject("select status from payments where idempotency_key = ?", String.class, key))
                .isEqualTo("DECLINED");
        // the job tries again: a decline is final, nothing is charged again, the reason is in the timeline once
        jobs.run();
        assertThat(returnStatus(returnId)).isEqualTo("RECEIVED");
        assertThat(intentsWithKey(key)).hasSize(1);
        assertThat(jdbc.queryForList("select detail from return_events where return_id = ? and type ="
                + " 'return.exchange_charge_failed'", String.class, returnId)).singleElement()
                .satisfies(d -> assertThat(d).contains("15.00 EUR", "insufficient_funds"));
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id like ?", Integer.class,
                "%-" + returnId)).isZero();

        Response rejected = postJson("/api/returns/" + returnId + "/reject", OPS_KEY, Map.of("reason",
                "the customer pays the difference in the shop"));
        assertThat(rejected.status()).as(rejected.toString()).isEqualTo(200);
        assertThat(rejected.body().get("status").asText()).isEqualTo("REJECTED");
    }

    @Test
    void aPrepaidOrdersDifferenceIsInvoicedNotCharged() {
        String mug = product(10);
        String jug = product(10, "12.50");
        com.fasterxml.jackson.databind.node.ObjectNode order = orderFor(mug, 1, null, 0);
        order.putObject("payment").put("method", "prepaid").put("reference", "BANK-" + mug);
        String orderId = shippedOrder(order);
        String returnId = exchangeOneUnit(orderId, jug);

        JsonNode settled = receive(returnId);
        assertThat(settled.get("status").asText()).as(settled.toString()).isEqualTo("EXCHANGED");
        String key = ExchangeDifferences.key(orderId, returnId);
        assertThat(jdbc.queryForMap("select * from payments where idempotency_key = ?", key)).satisfies(p -> {
            assertThat(p).containsEntry("kind", "INVOICE").containsEntry("status", "SUCCEEDED");
            assertThat((BigDecimal) p.get("amount")).isEqualByComparingTo("2.50");
        });
        assertThat(intentsWithKey(key)).isEmpty();
        returns.settle(returnId);
        assertThat(jdbc.queryForObject("select count(*) from payments where order_id = ?", Integer.class, orderId))
                .isEqualTo(2);
    }

    // ---- helpers

    /** Asks for line 1's first unit back, exchanged for one unit of {@code sku}; the return's id. */
    private String exchangeOneUnit(String orderId, String sku) {
        Response r = requestReturn(orderId, MARKETPLACE_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 1,
                "quantity", 1)), "resolution", "EXCHANGE", "exchange", List.of(Map.of("sku", sku, "quantity", 1))));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("returnId").asText();
    }

    private JsonNode receive(String returnId) {
        Response receipt = postJson("/api/returns/" + returnId + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "RESTOCK"))));
        assertThat(receipt.status()).as(receipt.toString()).isEqualTo(200);
        return receipt.body();
    }

    private List<com.github.tomakehurst.wiremock.verification.LoggedRequest> intentsWithKey(String key) {
        return SyncTargetsServer.server().findAll(postRequestedFor(urlEqualTo("/stripe/v1/payment_intents"))
                .withHeader("Idempotency-Key", equalTo(key)));
    }

    /** The amounts (minor units) of the payment intents the sandbox gateway made for the order (its metadata). */
    private List<Long> chargesAtSandbox(String orderId) {
        return atSandbox(orderId, "/v1/payment_intents");
    }

    private List<Long> refundsAtSandbox(String orderId) {
        return atSandbox(orderId, "/v1/refunds");
    }

    private List<Long> atSandbox(String orderId, String path) {
        List<Long> out = new java.util.ArrayList<>();
        // the sandbox records each object it made once (a replayed key answers the first object, recorded no more)
        for (JsonNode e : get("/sandbox/payment/received?contains=" + orderId, OPS_KEY).body()) {
            if (e.get("path").asText().startsWith(path + "/")) {
                out.add(e.at("/body/amount").asLong());
            }
        }
        return out;
    }
}
