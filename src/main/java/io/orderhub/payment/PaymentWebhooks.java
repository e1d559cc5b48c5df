package io.orderhub.payment;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gateway webhooks ({@code POST /api/webhooks/payments/{gateway}}): the signature is verified first
 * (401 otherwise), then the event is recorded by id in {@code payment_webhook_events} in the same
 * transaction as its effect; a replayed id changes nothing. Effects: {@code payment_intent.succeeded}
 * finishes a PENDING charge (the order becomes PAID when CONFIRMED), {@code payment_intent.payment_failed}
 * declines a PENDING charge (the order is cancelled), {@code charge.refunded} finishes a PENDING
 * refund. An event for a payment that is no longer pending (out of order) is recorded and ignored.
 */
@Service
public class PaymentWebhooks {

    private final PaymentGateways gateways;
    private final PaymentRepository payments;
    private final PaymentProperties properties;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final AmendmentCharges amendments;

    public PaymentWebhooks(PaymentGateways gateways, PaymentRepository payments, PaymentProperties properties,
                           OrderRepository orderRows, OrderService orders, TransactionTemplate tx, ObjectMapper json,
                           AmendmentCharges amendments) {
        this.amendments = amendments;
        this.gateways = gateways;
        this.payments = payments;
        this.properties = properties;
        this.orderRows = orderRows;
        this.orders = orders;
        this.tx = tx;
        this.json = json;
    }

    public Map<String, Object> receive(String gateway, String signature, String payload) {
        if (signature == null || signature.isBlank()) {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, "Stripe-Signature", "Stripe-Signature header is missing");
        }
        PaymentProperties.Gateway settings = gateways.settings(gateway);
        String problem = WebhookSignature.problem(signature, payload == null ? "" : payload, settings.webhookSecret(),
                payments.now(), properties.webhookTolerance());
        if (problem != null) {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, "Stripe-Signature", problem);
        }
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (IOException e) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "webhook body is not JSON");
        }
        if (event == null || !event.path("id").isTextual() || !event.path("type").isTextual()) {
            throw OrderHubException.field(Problem.INVALID, "id", "a webhook event needs id and type");
        }
        String id = event.get("id").asText();
        String type = event.get("type").asText();
        JsonNode object = event.path("data").path("object");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("received", true);
        answer.put("eventId", id);
        String outcome = tx.execute(status -> {
            if (payments.webhookSeen(gateway, id)) {
                return "replay ignored";
            }
            String o = apply(type, object);
            payments.webhookFirstTime(gateway, id, type, orderOf(object), o);
            return o;
        });
        answer.put("outcome", outcome);
        return answer;
    }

    private String apply(String type, JsonNode object) {
        switch (type) {
            case "payment_intent.succeeded", "payment_intent.payment_failed" -> {
                Optional<Payment> charge = payments.byIntent(object.path("id").asText())
                        .or(() -> pendingCharge(orderOf(object)));
                if (charge.isEmpty()) {
                    return "ignored: no charge for intent " + object.path("id").asText();
                }
                Payment p = charge.get();
                if (!Payment.PENDING.equals(p.status())) {
                    return "ignored: charge is " + p.status();
                }
                boolean ok = type.endsWith("succeeded");
                JsonNode error = object.path("last_payment_error");
                if (AmendmentCharges.isAmendment(p)) {
                    // the difference of a replacement after payment: order.paid again, or the order held
                    return amendments.finish(p, ok, ok ? Payment.SUCCEEDED : Payment.DECLINED, object.path("id").asText(null),
                            ok ? null : error.path("decline_code").asText(error.path("code").asText(null)),
                            ok ? null : error.path("message").asText(null), true)
                            .map(why -> "difference declined; order held").orElse("difference charged");
                }
                payments.finish(p.paymentId(), Payment.PENDING, ok ? Payment.SUCCEEDED : Payment.DECLINED,
                        object.path("id").asText(null), null, ok ? null : error.path("decline_code").asText(error.path("code").asText(null)),
                        ok ? null : error.path("message").asText(null));
                OrderStatus now = orderRows.lockStatus(p.orderId()).orElseThrow();
                if (now != OrderStatus.CONFIRMED) {
                    return "charge " + (ok ? "succeeded" : "declined") + "; order is " + now;
                }
                if (ok) {
                    orders.transition(p.orderId(), OrderStatus.PAID, "order.paid", "charge confirmed by webhook, " + object.path("id").asText());
                    return "order PAID";
                }
                orders.cancel(p.orderId(), "payment declined by " + p.gateway() + ": " + error.path("message").asText("declined"),
                        PaymentService.SYSTEM);
                return "order CANCELLED";
            }
            case "charge.refunded" -> {
                String intent = object.path("payment_intent").asText();
                for (Payment p : payments.byOrder(Optional.ofNullable(orderOf(object))
                        .orElseGet(() -> payments.byIntent(intent).map(Payment::orderId).orElse("")))) {
                    if (Payment.REFUND.equals(p.kind()) && Payment.PENDING.equals(p.status())) {
                        payments.finish(p.paymentId(), Payment.PENDING, Payment.SUCCEEDED, null, null, null, "refunded (webhook)");
                        return "refund confirmed";
                    }
                }
                return "ignored: no pending refund";
            }
            default -> {
                return "ignored: event type " + type;
            }
        }
    }

    private Optional<Payment> pendingCharge(String orderId) {
        if (orderId == null) {
            return Optional.empty();
        }
        // a charge whose answer never arrived (timeout) has no intent id yet: found by the order id in the metadata
        return payments.byOrder(orderId).stream().filter(p -> Payment.CHARGE.equals(p.kind()) && p.intentId() == null)
                .reduce((a, b) -> b);
    }

    private static String orderOf(JsonNode object) {
        JsonNode id = object.path("metadata").path("order_id");
        return id.isTextual() ? id.asText() : null;
    }
}
