package io.orderhub.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * POST /api/webhooks/payments/{gateway}: signed with the gateway's secret (test: the default
 * {@code whsec_sandbox}); a wrong signature or an old timestamp is 401 and changes nothing; a replayed
 * event id is answered but ignored; an event finishes a pending charge in the same transaction.
 */
class PaymentWebhooksTest extends PaymentTestSupport {

    static final String SECRET = "whsec_sandbox";

    @Autowired
    PaymentRepository repository;

    private Response webhook(String gateway, String payload, String signature) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/webhooks/payments/" + gateway))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
            if (signature != null) {
                b.header("Stripe-Signature", signature);
            }
            return send(b.build(), payload.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String event(String id, String type, String intentId, String orderId) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"data\":{\"object\":{\"id\":\""
                + intentId + "\",\"object\":\"payment_intent\",\"status\":\"succeeded\",\"metadata\":{\"order_id\":\""
                + orderId + "\"}}}}";
    }

    private static String sign(String payload) {
        return WebhookSignature.sign(payload, SECRET, Instant.now().getEpochSecond());
    }

    @Test
    void aSignedSucceededEventFinishesAPendingChargeOnceAndReplaysAreIgnored() {
        // a webshop order (paid by hand in the test setup) stays CONFIRMED; give it a charge that is still pending
        String sku = product(3);
        String orderId = submit(WEBSHOP_KEY, orderFor(sku, 1, Map.of("method", "card", "token", "pm_card_visa")));
        awaitStatus(orderId, "CONFIRMED");
        String intent = "pi_wh" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        repository.insert(orderId, Payment.CHARGE, "stripe", "card", 1, PaymentService.chargeKey(orderId, 1),
                new BigDecimal("10.00"), 1000, "EUR", Payment.PENDING, null, intent);

        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String payload = event(eventId, "payment_intent.succeeded", intent, orderId);
        Response first = webhook("stripe", payload, sign(payload));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().get("outcome").asText()).isEqualTo("order PAID");
        awaitStatus(orderId, "ALLOCATED");
        assertThat(payments(orderId)).singleElement().satisfies(p -> assertThat(p).containsEntry("status", "SUCCEEDED"));

        Response replay = webhook("stripe", payload, sign(payload));
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("outcome").asText()).isEqualTo("replay ignored");
        String failedLater = event("evt_" + UUID.randomUUID().toString().replace("-", ""), "payment_intent.payment_failed", intent, orderId);
        Response outOfOrder = webhook("stripe", failedLater, sign(failedLater));
        assertThat(outOfOrder.body().get("outcome").asText()).startsWith("ignored");
        assertThat(status(orderId)).isEqualTo("ALLOCATED");
        assertThat(jdbc.queryForObject("select count(*) from payment_webhook_events where event_id = ?", Integer.class, eventId))
                .isEqualTo(1);
    }

    @Test
    void wrongSignatureOldTimestampAndUnsignedAre401AndChangeNothing() {
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String payload = event(eventId, "payment_intent.succeeded", "pi_none", "ORD-000000000");

        Response unsigned = webhook("stripe", payload, null);
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.header("Content-Type")).contains("problem+json");

        Response wrongSecret = webhook("stripe", payload, WebhookSignature.sign(payload, "whsec_wrong", Instant.now().getEpochSecond()));
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.text()).contains("does not match");

        Response tampered = webhook("stripe", payload.replace("succeeded", "payment_failed"), sign(payload));
        assertThat(tampered.status()).isEqualTo(401);

        Response old = webhook("stripe", payload, WebhookSignature.sign(payload, SECRET, Instant.now().getEpochSecond() - 301));
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.text()).contains("tolerance");

        assertThat(jdbc.queryForObject("select count(*) from payment_webhook_events where event_id = ?", Integer.class, eventId))
                .isZero();

        Response unknownGateway = webhook("nope", payload, sign(payload));
        assertThat(unknownGateway.status()).isEqualTo(404);
    }
}
