package io.orderhub.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The payment stage in the running hub against the in-hub Stripe sandbox: card orders are charged
 * once and move on to allocation; declines cancel with the gateway's reason and give the stock back;
 * a cancel after payment refunds once, also when it is sent twice; prepaid and invoice orders.
 */
class PaymentFlowTest extends PaymentTestSupport {

    @Test
    void cardOrderIsChargedOnceThenPaidAndAllocated() {
        String sku = product(5);
        String orderId = submit(MARKETPLACE_KEY, orderFor(sku, 2, Map.of("method", "card", "token", "pm_card_visa")));
        awaitStatus(orderId, "ALLOCATED");

        List<Map<String, Object>> rows = payments(orderId);
        assertThat(rows).hasSize(1);
        Map<String, Object> charge = rows.get(0);
        assertThat(charge).containsEntry("kind", "CHARGE").containsEntry("status", "SUCCEEDED")
                .containsEntry("gateway", "stripe").containsEntry("idempotency_key", "orderhub-" + orderId + "-charge-1")
                .containsEntry("currency", "EUR");
        assertThat(((Number) charge.get("amount_minor")).longValue()).isEqualTo(2000L);
        assertThat((String) charge.get("intent_id")).startsWith("pi_");

        JsonNode received = sandboxReceived(orderId);
        assertThat(received).hasSize(1);
        JsonNode intent = received.get(0).get("body");
        assertThat(intent.get("amount").asLong()).isEqualTo(2000L);
        assertThat(intent.get("currency").asText()).isEqualTo("eur");
        assertThat(intent.get("status").asText()).isEqualTo("succeeded");

        JsonNode events = get("/api/orders/" + orderId + "/events", OPS_KEY).body();
        assertThat(events.findValuesAsText("type")).containsSubsequence("order.confirmed", "order.paid", "order.allocated");
        // the journey shows the gateway request and its outcome
        JsonNode journey = get("/api/orders/" + orderId + "/journey", OPS_KEY).body();
        assertThat(journey.get("payments")).singleElement().satisfies(p -> {
            assertThat(p.get("kind").asText()).isEqualTo("CHARGE");
            assertThat(p.get("gateway").asText()).isEqualTo("stripe");
            assertThat(p.get("status").asText()).isEqualTo("SUCCEEDED");
            // money as the order shows it (issue 20), not the column's 20.0000
            assertThat(p.get("amount").toString()).isEqualTo("20.00");
        });
    }

    @Test
    void declinedCardCancelsWithTheGatewaysReasonAndReleasesTheStock() {
        String sku = product(5);
        String orderId = submit(MARKETPLACE_KEY, orderFor(sku, 3,
                Map.of("method", "card", "token", "pm_card_chargeDeclinedInsufficientFunds")));
        awaitStatus(orderId, "CANCELLED");

        assertThat(available(sku)).isEqualTo(5);
        assertThat(payments(orderId)).singleElement().satisfies(p -> assertThat(p)
                .containsEntry("status", "DECLINED").containsEntry("decline_code", "insufficient_funds"));
        JsonNode events = get("/api/orders/" + orderId + "/events", OPS_KEY).body();
        JsonNode cancelled = events.get(events.size() - 1);
        assertThat(cancelled.get("toStatus").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("detail").asText()).contains("insufficient_funds").contains("insufficient funds");

        String generic = submit(MARKETPLACE_KEY, orderFor(sku, 1, Map.of("method", "card", "token", "pm_card_chargeDeclined")));
        awaitStatus(generic, "CANCELLED");
        assertThat(payments(generic)).singleElement().satisfies(p -> assertThat(p).containsEntry("decline_code", "generic_decline"));
        assertThat(available(sku)).isEqualTo(5);
    }

    @Test
    void cancelAfterPaymentRefundsExactlyOnceAlsoWhenSentTwice() {
        String sku = product(5);
        String orderId = submit(MARKETPLACE_KEY, orderFor(sku, 1, Map.of("method", "card", "token", "pm_card_visa")));
        awaitStatus(orderId, "ALLOCATED");

        Response first = postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, Map.of("reason", "customer changed mind"));
        Response second = postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, Map.of("reason", "customer changed mind"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(second.status()).as(second.toString()).isEqualTo(409);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(payments(orderId))
                .filteredOn(p -> "REFUND".equals(p.get("kind"))).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("status", "SUCCEEDED")
                        .containsEntry("idempotency_key", "orderhub-" + orderId + "-refund-1")));
        assertThat(sandboxCount(orderId, "/v1/refunds/")).isEqualTo(1);
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).isEqualTo(1);
        assertThat(available(sku)).isEqualTo(5);
        // the order.cancelled event tells subscribers (the customer's mail) the reason and the refund
        JsonNode cancelled = readJson(outboxPayload(orderId, "order.cancelled"));
        assertThat(cancelled.at("/data/reason").asText()).isEqualTo("customer changed mind");
        assertThat(cancelled.at("/data/refund/amount").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(cancelled.at("/data/refund/currency").asText()).isEqualTo("EUR");
        assertThat(cancelled.at("/data/refund/method").asText()).isEqualTo("card");
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void prepaidOrdersRecordTheReferenceAndInvoicesNeedCredit() {
        String sku = product(100);
        String prepaid = submit(MARKETPLACE_KEY, orderFor(sku, 1, Map.of("method", "prepaid", "reference", "PAYPAL-123")));
        awaitStatus(prepaid, "ALLOCATED");
        assertThat(payments(prepaid)).singleElement().satisfies(p -> assertThat(p).containsEntry("kind", "PREPAID")
                .containsEntry("reference", "PAYPAL-123"));
        assertThat(sandboxReceived(prepaid)).isEmpty();

        // invoice credit only for a customer the CRM binds to the channel (issue 25): a made-up id gets none
        com.fasterxml.jackson.databind.node.ObjectNode unknown = orderFor(sku, 2, Map.of("method", "invoice", "terms", "NET30"));
        unknown.withObject("/customer").put("externalId", "NEW-" + java.util.UUID.randomUUID().toString().replaceAll("[^a-f]", ""));
        String refused = submit(MARKETPLACE_KEY, unknown);
        awaitStatus(refused, "CANCELLED");
        JsonNode events = get("/api/orders/" + refused + "/events", OPS_KEY).body();
        assertThat(events.get(events.size() - 1).get("detail").asText())
                .contains("is not registered for invoice in channel marketplace", "credit_not_registered");

        String customer = registered("marketplace", 500);
        com.fasterxml.jackson.databind.node.ObjectNode known = orderFor(sku, 2, Map.of("method", "invoice", "terms", "NET30"));
        known.withObject("/customer").put("externalId", customer);
        String invoice = submit(MARKETPLACE_KEY, known);
        awaitStatus(invoice, "ALLOCATED");
        assertThat(payments(invoice)).singleElement().satisfies(p -> assertThat(p).containsEntry("kind", "INVOICE")
                .containsEntry("reference", "NET30"));

        // over the customer's limit of 500: declined
        com.fasterxml.jackson.databind.node.ObjectNode big = orderFor(sku, 60, Map.of("method", "invoice", "terms", "NET30"));
        big.withObject("/customer").put("externalId", customer);
        String tooMuch = submit(MARKETPLACE_KEY, big);
        awaitStatus(tooMuch, "CANCELLED");
        events = get("/api/orders/" + tooMuch + "/events", OPS_KEY).body();
        assertThat(events.get(events.size() - 1).get("detail").asText()).contains("credit limit");
    }

    /** A new customer of the CRM bound to the channel for invoice, with a credit limit in EUR; its channel's id. */
    private String registered(String channel, int creditLimit) {
        String customer = "C-" + java.util.UUID.randomUUID().toString().replaceAll("[^a-f]", "");
        Response r = put("/api/customers/" + channel + "-" + customer, OPS_KEY, Map.of("name", "Credit Test",
                "creditLimit", creditLimit, "currency", "EUR", "invoiceChannel", channel));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        return customer;
    }

    @Test
    void invoicesUseTheCrmCreditLimitAndTheCustomersOpenInvoices() {
        String sku = product(100);
        String customer = "C-" + java.util.UUID.randomUUID().toString().replaceAll("[^a-f]", "");
        Response limit = put("/api/customers/marketplace-" + customer, OPS_KEY, Map.of("name", "Credit Test",
                "creditLimit", 100, "currency", "EUR", "invoiceChannel", "marketplace"));
        assertThat(limit.status()).as(limit.toString()).isIn(200, 201);

        com.fasterxml.jackson.databind.node.ObjectNode first = orderFor(sku, 6, Map.of("method", "invoice", "terms", "NET30"));
        first.withObject("/customer").put("externalId", customer);
        String approved = submit(MARKETPLACE_KEY, first);
        awaitStatus(approved, "ALLOCATED");
        assertThat(payments(approved)).singleElement().satisfies(p -> assertThat(p)
                .containsEntry("customer_key", "marketplace-" + customer));

        com.fasterxml.jackson.databind.node.ObjectNode second = orderFor(sku, 5, Map.of("method", "invoice", "terms", "NET30"));
        second.withObject("/customer").put("externalId", customer);
        String refused = submit(MARKETPLACE_KEY, second);
        awaitStatus(refused, "CANCELLED");
        JsonNode events = get("/api/orders/" + refused + "/events", OPS_KEY).body();
        assertThat(events.get(events.size() - 1).get("detail").asText())
                .contains("with 60 open exceeds the CRM credit limit of marketplace-" + customer + " of 100");
    }
}
