package io.orderhub.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, finding 5: a card order with a grand total of 0 used to wait in CONFIRMED, its stock reserved for
 * days, for a charge the gateway refuses ("amount must be at least 1"). There is nothing to capture: it is PAID
 * at once, with no gateway call, and moves on; its timeline says why.
 */
class ZeroAmountPaymentTest extends PaymentTestSupport {

    @Test
    void aFreeCardOrderIsPaidWithoutACardChargeAndMovesOn() {
        String sku = product(5);
        ObjectNode order = orderFor(sku, 2, Map.of("method", "card", "token", "pm_card_visa"));
        ((ObjectNode) order.withArray("lines").get(0)).put("unitPrice", BigDecimal.ZERO).put("lineTotal", BigDecimal.ZERO);
        order.putObject("totals").put("subtotal", 0).put("discount", 0).put("shipping", 0).put("tax", 0)
                .put("grandTotal", 0);
        String orderId = submit(MARKETPLACE_KEY, order);

        awaitStatus(orderId, "ALLOCATED");
        assertThat(payments(orderId)).isEmpty();
        assertThat(sandboxCount(orderId, "/v1/payment_intents")).isZero();
        JsonNode events = get("/api/orders/" + orderId + "/events", OPS_KEY).body();
        assertThat(events.findValuesAsText("type")).containsSubsequence("order.confirmed", "order.paid", "order.allocated");
        JsonNode paid = null;
        for (JsonNode e : events) {
            if ("order.paid".equals(e.get("type").asText())) {
                paid = e;
            }
        }
        assertThat(paid).isNotNull();
        assertThat(paid.get("detail").asText()).contains("nothing to charge").contains("no card charge was sent");

        // cancelled later: nothing was captured, so nothing is refunded
        assertThat(postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, "").status()).isEqualTo(200);
        awaitStatus(orderId, "CANCELLED");
        assertThat(payments(orderId)).isEmpty();
    }
}
