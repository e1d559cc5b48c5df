package io.orderhub.payment;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Entry points of the payment stages for lifecycle events of {@code orders.events}; the routes in
 * {@code routes/payment-stages.camel.yaml} call them. Events of other types are skipped; a malformed
 * event fails (dead letter queue after the broker's redeliveries).
 */
@Component("paymentStages")
public class PaymentStages {

    private static final Logger log = LoggerFactory.getLogger(PaymentStages.class);

    private final PaymentService payments;
    private final ObjectMapper json;

    public PaymentStages(PaymentService payments, ObjectMapper json) {
        this.payments = payments;
        this.json = json;
    }

    public PaymentService.Result pay(String event) {
        JsonNode e = read(event);
        if (!"order.confirmed".equals(e.path("type").asText())) {
            return new PaymentService.Result(e.path("orderId").asText(), PaymentService.Outcome.SKIPPED, "not order.confirmed");
        }
        PaymentService.Result r = payments.onOrderConfirmed(e.get("eventId").asText(), e.get("orderId").asText());
        log.info("payment stage: {}", r);
        return r;
    }

    public PaymentService.Result refund(String event) {
        JsonNode e = read(event);
        if (!"order.cancelled".equals(e.path("type").asText())) {
            return new PaymentService.Result(e.path("orderId").asText(), PaymentService.Outcome.SKIPPED, "not order.cancelled");
        }
        PaymentService.Result r = payments.onOrderCancelled(e.get("eventId").asText(), e.get("orderId").asText());
        log.debug("refund stage: {}", r);
        return r;
    }

    private JsonNode read(String body) {
        try {
            JsonNode n = json.readTree(body);
            if (!n.path("eventId").isTextual() || !n.path("orderId").isTextual()) {
                throw new IllegalArgumentException("event without eventId or orderId");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("event is not JSON: " + e.getMessage(), e);
        }
    }
}
