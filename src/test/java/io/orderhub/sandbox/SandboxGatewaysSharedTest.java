package io.orderhub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The sandbox payment gateways of two hub instances on one database are one gateway, as a real gateway is for
 * the hub's instances: the same Idempotency-Key gets the first answer from the other instance too (a charge
 * redelivered to the other instance after a crash is not taken twice), and a payment taken through one instance
 * is found and refunded through the other. The second instance is a second controller on the same database.
 */
class SandboxGatewaysSharedTest extends HubTestSupport {

    static final String AUTH = "Bearer sk_test_sandbox";

    @Autowired
    SandboxSupport support;
    @Autowired
    SandboxPayments state;
    @Autowired
    Clock clock;

    @Test
    void stripeIsOneGatewayForBothInstances() throws Exception {
        SandboxStripeController a = new SandboxStripeController(support, state, clock);
        SandboxStripeController b = new SandboxStripeController(support, state, clock);
        String key = "orderhub-ORD-" + UUID.randomUUID() + "-charge-1";
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("amount", "5119");
        form.add("currency", "eur");
        form.add("payment_method", "pm_card_visa");
        form.add("confirm", "true");

        ResponseEntity<Object> first = a.createIntent(form, AUTH, key);
        ResponseEntity<Object> again = b.createIntent(form, AUTH, key);

        assertThat(first.getStatusCode().value()).isEqualTo(200);
        String intent = (String) body(first).get("id");
        assertThat(body(again).get("id")).as("the other instance answers the key with the same intent").isEqualTo(intent);
        assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(jdbc.queryForObject("select count(*) from sandbox_received where system = 'payment' and path = ?",
                Integer.class, "/v1/payment_intents/" + intent)).isEqualTo(1);
        assertThat(b.getIntent(intent, AUTH).getStatusCode().value()).isEqualTo(200);

        // the same key with other parameters is refused by either instance
        MultiValueMap<String, String> other = new LinkedMultiValueMap<>(form);
        other.set("amount", "100");
        assertThat(b.createIntent(other, AUTH, key).getStatusCode().value()).isEqualTo(400);

        // paid through one instance, refunded through the other, once in full
        MultiValueMap<String, String> refund = new LinkedMultiValueMap<>();
        refund.add("payment_intent", intent);
        assertThat(b.createRefund(refund, AUTH, "refund-" + key).getStatusCode().value()).isEqualTo(200);
        assertThat(a.createRefund(refund, AUTH, "refund-again-" + key).getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void oneKeySentToBothInstancesAtOnceMakesOneIntent() throws Exception {
        SandboxStripeController a = new SandboxStripeController(support, state, clock);
        SandboxStripeController b = new SandboxStripeController(support, state, clock);
        String key = "orderhub-ORD-" + UUID.randomUUID() + "-charge-1";
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("amount", "990");
        form.add("currency", "eur");
        form.add("payment_method", "pm_card_visa");
        form.add("confirm", "true");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ResponseEntity<Object>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                SandboxStripeController instance = i % 2 == 0 ? a : b;
                calls.add(() -> instance.createIntent(form, AUTH, key));
            }
            Set<Object> ids = new HashSet<>();
            for (Future<ResponseEntity<Object>> f : pool.invokeAll(calls)) {
                assertThat(f.get().getStatusCode().value()).isEqualTo(200);
                ids.add(body(f.get()).get("id"));
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void adyenIsOneGatewayForBothInstances() {
        SandboxAdyenController a = new SandboxAdyenController(support, state, clock);
        SandboxAdyenController b = new SandboxAdyenController(support, state, clock);
        String key = "orderhub-ORD-" + UUID.randomUUID() + "-charge-1";
        String payment = "{\"merchantAccount\":\"OrderHubSandboxECOM\",\"reference\":\"ORD-1\","
                + "\"amount\":{\"value\":5119,\"currency\":\"EUR\"},\"paymentMethod\":{\"storedPaymentMethodId\":\"pm_card_visa\"}}";

        ResponseEntity<Object> first = a.payments(payment, "adyen_test_sandbox", key);
        ResponseEntity<Object> again = b.payments(payment, "adyen_test_sandbox", key);

        String psp = (String) body(first).get("pspReference");
        assertThat(body(first).get("resultCode")).isEqualTo("Authorised");
        assertThat(body(again).get("pspReference")).isEqualTo(psp);
        String refund = "{\"merchantAccount\":\"OrderHubSandboxECOM\",\"reference\":\"ORD-1-refund\","
                + "\"amount\":{\"value\":5119,\"currency\":\"EUR\"}}";
        assertThat(b.refunds(psp, refund, "adyen_test_sandbox", "refund-" + key).getStatusCode().value()).isEqualTo(201);
        assertThat(a.refunds(psp, refund, "adyen_test_sandbox", "refund-again-" + key).getStatusCode().value()).isEqualTo(422);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(ResponseEntity<Object> r) {
        return (Map<String, Object>) r.getBody();
    }
}
