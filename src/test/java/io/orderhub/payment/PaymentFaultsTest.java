package io.orderhub.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.orderhub.sync.SyncTargetsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Gateway faults through the suite's WireMock server standing between the Stripe client and the
 * in-hub sandbox: a timeout after the gateway took the charge, 500s, a 4xx. Retries carry the same
 * Idempotency-Key, so the sandbox holds one PaymentIntent however often the hub asked.
 */
class PaymentFaultsTest extends PaymentTestSupport {

    @Autowired
    PaymentGateways gateways;
    @Autowired
    PaymentService service;
    @Autowired
    io.orderhub.sandbox.SandboxStripeController sandboxController;
    @Autowired
    io.orderhub.sandbox.SandboxSupport sandboxSupport;
    @Autowired
    io.orderhub.sandbox.SandboxPayments sandboxPayments;

    private final String prefix = "/stripe-" + UUID.randomUUID().toString().substring(0, 8);

    private WireMockServer wiremock() {
        return SyncTargetsServer.server();
    }

    @AfterEach
    void removeStubs() {
        wiremock().getStubMappings().stream().filter(s -> s.getRequest().getUrlPathPattern() != null
                        && s.getRequest().getUrlPathPattern().contains(prefix))
                .toList().forEach(wiremock()::removeStub);
    }

    private PaymentGateway throughWireMock() {
        return gateways.at("stripe", "http://localhost:" + wiremock().port() + prefix);
    }

    private String sandbox() {
        return "http://localhost:" + port + "/sandbox/payment/stripe";
    }

    private PaymentGateway.ChargeRequest request(String orderId) {
        return new PaymentGateway.ChargeRequest(orderId, 5119, "EUR", "pm_card_visa",
                PaymentService.chargeKey(orderId, 1), "Order " + orderId);
    }

    private List<LoggedRequest> journal() {
        return wiremock().findAll(postRequestedFor(urlPathMatching(prefix + "/v1/.*")));
    }

    @Test
    void timeoutAfterTheGatewayChargedIsRetriedWithTheSameKeyAndChargesOnce() {
        String orderId = "ORD-T" + UUID.randomUUID().toString().substring(0, 8);
        // first try: the sandbox takes the charge, but the answer comes after the client's timeout (2 s)
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v1/payment_intents")).atPriority(1)
                .inScenario(prefix).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("answered")
                .willReturn(aResponse().proxiedFrom(sandbox()).withProxyUrlPrefixToRemove(prefix).withFixedDelay(3000)));
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v1/payment_intents")).atPriority(1)
                .inScenario(prefix).whenScenarioStateIs("answered")
                .willReturn(aResponse().proxiedFrom(sandbox()).withProxyUrlPrefixToRemove(prefix)));

        PaymentGateway.ChargeResult result = service.withRetries(prefix, () -> throughWireMock().charge(request(orderId)));

        assertThat(result.succeeded()).isTrue();
        List<LoggedRequest> sent = journal();
        assertThat(sent).hasSize(2);
        assertThat(sent).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(PaymentService.chargeKey(orderId, 1));
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).as("one PaymentIntent in the sandbox").isEqualTo(1);
        assertThat(sandboxReceived(orderId).get(0).get("body").get("id").asText()).isEqualTo(result.intentId());
    }

    @Test
    void serverErrorsAreRetriedWithTheSameKeyUntilTheGatewayAnswers() {
        String orderId = "ORD-F" + UUID.randomUUID().toString().substring(0, 8);
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v1/payment_intents")).atPriority(1)
                .inScenario(prefix).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("one 500")
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}")));
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v1/payment_intents")).atPriority(1)
                .inScenario(prefix).whenScenarioStateIs("one 500").willSetStateTo("two 500")
                .willReturn(aResponse().withStatus(503)));
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v1/payment_intents")).atPriority(1)
                .inScenario(prefix).whenScenarioStateIs("two 500")
                .willReturn(aResponse().proxiedFrom(sandbox()).withProxyUrlPrefixToRemove(prefix)));

        PaymentGateway.ChargeResult result = service.withRetries(prefix, () -> throughWireMock().charge(request(orderId)));

        assertThat(result.succeeded()).isTrue();
        assertThat(journal()).hasSize(3).extracting(r -> r.getHeader("Idempotency-Key"))
                .containsOnly(PaymentService.chargeKey(orderId, 1));
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).isEqualTo(1);
    }

    @Test
    void clientErrorsAreNotRetried() {
        String orderId = "ORD-C" + UUID.randomUUID().toString().substring(0, 8);
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v1/payment_intents")).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such PaymentMethod\"}}")));

        assertThatThrownBy(() -> service.withRetries(prefix, () -> throughWireMock().charge(request(orderId))))
                .isInstanceOf(GatewayRejectedException.class).hasMessageContaining("No such PaymentMethod");
        assertThat(journal()).hasSize(1);
    }

    @Test
    void repeatedFailuresOpenTheBreakerOrdersWaitConfirmedAndCompleteWhenTheGatewayIsBack() {
        var down = wiremock().stubFor(WireMock.post(urlEqualTo(GATEWAY_PATH + "/v1/payment_intents")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        String sku = product(10);
        String a = submit(MARKETPLACE_KEY, orderFor(sku, 1, java.util.Map.of("method", "card", "token", "pm_card_visa")));
        String b = submit(MARKETPLACE_KEY, orderFor(sku, 2, java.util.Map.of("method", "card", "token", "pm_card_visa")));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(payments(a)).singleElement().satisfies(p -> assertThat(p).containsEntry("status", "PENDING"));
            assertThat(payments(b)).singleElement().satisfies(p -> assertThat(p).containsEntry("status", "PENDING"));
            assertThat(gateways.breaker("stripe").state()).isNotEqualTo(CircuitBreaker.State.CLOSED);
            // the breaker may have been opened by an earlier test; wait until the gateway refused one of ours
            assertThat(wiremock().findAll(postRequestedFor(urlEqualTo(GATEWAY_PATH + "/v1/payment_intents"))).stream()
                    .filter(r -> List.of(PaymentService.chargeKey(a, 1), PaymentService.chargeKey(b, 1))
                            .contains(r.getHeader("Idempotency-Key"))).count()).as("refused tries").isPositive();
        });
        assertThat(status(a)).as("waiting, not failed").isEqualTo("CONFIRMED");
        assertThat(status(b)).isEqualTo("CONFIRMED");

        wiremock().removeStub(down);
        awaitStatus(a, "ALLOCATED");
        awaitStatus(b, "ALLOCATED");
        // closed again once its trial calls went through (another test's call to the stripe gateway may still be one)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(gateways.breaker("stripe").state()).isEqualTo(CircuitBreaker.State.CLOSED));
        for (String orderId : List.of(a, b)) {
            List<LoggedRequest> tries = wiremock().findAll(postRequestedFor(urlEqualTo(GATEWAY_PATH + "/v1/payment_intents"))
                    .withHeader("Idempotency-Key", equalTo(PaymentService.chargeKey(orderId, 1))));
            assertThat(tries).as("tries of " + orderId).hasSizeGreaterThanOrEqualTo(1);
            assertThat(sandboxCount(orderId, "/v1/payment_intents/")).as("one PaymentIntent for " + orderId).isEqualTo(1);
        }
        long sent = wiremock().findAll(postRequestedFor(urlEqualTo(GATEWAY_PATH + "/v1/payment_intents"))).stream()
                .filter(r -> List.of(PaymentService.chargeKey(a, 1), PaymentService.chargeKey(b, 1))
                        .contains(r.getHeader("Idempotency-Key"))).count();
        assertThat(sent).as("at least one refused try, then one success each").isGreaterThanOrEqualTo(3);
    }

    @Test
    void theStageChargesOnceWhenTheFirstAnswerIsLostToATimeout() {
        String scenario = prefix + "-stage";
        // the sandbox takes the charge, but the answer arrives after the client's timeout (2 s); the retry passes
        wiremock().stubFor(WireMock.post(urlEqualTo(GATEWAY_PATH + "/v1/payment_intents")).atPriority(1)
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("answered")
                .willReturn(aResponse().proxiedFrom(sandbox()).withProxyUrlPrefixToRemove(GATEWAY_PATH).withFixedDelay(3000)));
        String sku = product(3);
        String orderId = submit(MARKETPLACE_KEY, orderFor(sku, 1, java.util.Map.of("method", "card", "token", "pm_card_visa")));
        awaitStatus(orderId, "ALLOCATED");

        List<LoggedRequest> tries = wiremock().findAll(postRequestedFor(urlEqualTo(GATEWAY_PATH + "/v1/payment_intents"))
                .withHeader("Idempotency-Key", equalTo(PaymentService.chargeKey(orderId, 1))));
        assertThat(tries).as("the lost answer was asked for again with the same key").hasSize(2);
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).as("one PaymentIntent in the sandbox").isEqualTo(1);
        assertThat(payments(orderId)).singleElement().satisfies(p -> assertThat(p).containsEntry("status", "SUCCEEDED")
                .containsEntry("intent_id", sandboxReceived(orderId).get(0).get("body").get("id").asText()));
        wiremock().getStubMappings().stream().filter(m -> scenario.equals(m.getScenarioName())).toList()
                .forEach(wiremock()::removeStub);
    }

    @Test
    void theSandboxHonoursIdempotencyKeysLikeStripe() {
        String orderId = "ORD-I" + UUID.randomUUID().toString().substring(0, 8);
        PaymentGateway direct = gateways.at("stripe", sandbox());
        PaymentGateway.ChargeResult first = direct.charge(request(orderId));
        PaymentGateway.ChargeResult again = direct.charge(request(orderId));
        assertThat(again.intentId()).isEqualTo(first.intentId());
        PaymentGateway.ChargeRequest other = new PaymentGateway.ChargeRequest(orderId, 9999, "EUR", "pm_card_visa",
                PaymentService.chargeKey(orderId, 1), "Order " + orderId);
        assertThatThrownBy(() -> direct.charge(other)).isInstanceOf(GatewayRejectedException.class)
                .hasMessageContaining("same parameters");
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).isEqualTo(1);
    }

    @Test
    void aKeyStillInUseAnswered409IsAskedAgainWithTheSameKey() {
        String orderId = "ORD-B" + UUID.randomUUID().toString().substring(0, 8);
        // Stripe answers 409 idempotency_key_in_use while another request with the key is going through
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v1/payment_intents")).atPriority(1)
                .inScenario(prefix).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("free")
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/json").withBody(
                        "{\"error\":{\"type\":\"idempotency_error\",\"code\":\"idempotency_key_in_use\",\"message\":\"in use\"}}")));
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v1/payment_intents")).atPriority(1)
                .inScenario(prefix).whenScenarioStateIs("free")
                .willReturn(aResponse().proxiedFrom(sandbox()).withProxyUrlPrefixToRemove(prefix)));

        PaymentGateway.ChargeResult result = service.withRetries(prefix, () -> throughWireMock().charge(request(orderId)));

        assertThat(result.succeeded()).isTrue();
        assertThat(journal()).hasSize(2).extracting(r -> r.getHeader("Idempotency-Key"))
                .containsOnly(PaymentService.chargeKey(orderId, 1));
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).isEqualTo(1);
    }

    @Test
    void theSandboxKeepsItsKeysAcrossARestartAndAcrossInstances() {
        String orderId = "ORD-R" + UUID.randomUUID().toString().substring(0, 8);
        org.springframework.util.LinkedMultiValueMap<String, String> form = new org.springframework.util.LinkedMultiValueMap<>();
        form.add("amount", "5119");
        form.add("currency", "eur");
        form.add("payment_method", "pm_card_visa");
        form.add("confirm", "true");
        form.add("metadata[order_id]", orderId);
        String key = PaymentService.chargeKey(orderId, 1);
        org.springframework.http.ResponseEntity<Object> first = sandboxController.createIntent(form, "Bearer sk_test_x", key);
        // a sandbox of a restarted hub, or of another instance on the same database: a new controller, the same ledger
        io.orderhub.sandbox.SandboxStripeController restarted = new io.orderhub.sandbox.SandboxStripeController(
                sandboxSupport, sandboxPayments, java.time.Clock.systemUTC());
        org.springframework.http.ResponseEntity<Object> again = restarted.createIntent(form, "Bearer sk_test_x", key);

        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(((java.util.Map<?, ?>) again.getBody()).get("id")).isEqualTo(((java.util.Map<?, ?>) first.getBody()).get("id"));
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).isEqualTo(1);
    }

    @Test
    void theSandboxTakesOneOfTwoRequestsWithTheSameKeyAtOnce() throws Exception {
        String orderId = "ORD-K" + UUID.randomUUID().toString().substring(0, 8);
        PaymentGateway direct = gateways.at("stripe", sandbox());
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(two.submit(() -> {
                    try {
                        return direct.charge(request(orderId)).intentId();
                    } catch (GatewayUnavailableException inUse) {
                        return "in use";
                    }
                }));
            }
            java.util.Set<String> intents = new java.util.HashSet<>();
            for (java.util.concurrent.Future<String> a : answers) {
                intents.add(a.get());
            }
            intents.remove("in use");
            assertThat(intents).as("the PaymentIntents the racing requests were answered with").hasSize(1);
        } finally {
            two.shutdown();
        }
        assertThat(sandboxCount(orderId, "/v1/payment_intents/")).isEqualTo(1);
    }
}
