package io.orderhub.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.orderhub.sync.SyncTargetsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Adyen client on the wire, through the suite's WireMock server in front of the in-hub Adyen
 * sandbox: the request Adyen expects (X-API-Key, Idempotency-Key, amount in minor units incl. JPY
 * and KWD, stored card token, merchant account), 500s retried with the same key and one payment in
 * the sandbox, 4xx not retried, the sandbox's idempotency rules and refusal codes.
 */
class AdyenGatewayTest extends PaymentTestSupport {

    @Autowired
    PaymentGateways gateways;
    @Autowired
    PaymentService service;

    private final String prefix = "/adyen-" + UUID.randomUUID().toString().substring(0, 8);

    private WireMockServer wiremock() {
        return SyncTargetsServer.server();
    }

    @AfterEach
    void removeStubs() {
        wiremock().getStubMappings().stream().filter(s -> s.getRequest().getUrl() != null
                        && s.getRequest().getUrl().startsWith(prefix))
                .toList().forEach(wiremock()::removeStub);
    }

    private PaymentGateway throughWireMock() {
        return gateways.at("adyen", "http://localhost:" + wiremock().port() + prefix);
    }

    private String sandbox() {
        return "http://localhost:" + port + "/sandbox/payment/adyen";
    }

    private void proxyToSandbox() {
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v71/payments")).atPriority(2)
                .willReturn(aResponse().proxiedFrom(sandbox()).withProxyUrlPrefixToRemove(prefix)));
    }

    private List<LoggedRequest> journal() {
        return wiremock().findAll(postRequestedFor(urlPathMatching(prefix + "/v71/.*")));
    }

    private static PaymentGateway.ChargeRequest request(String orderId, long minor, String currency, String token) {
        return new PaymentGateway.ChargeRequest(orderId, minor, currency, token, PaymentService.chargeKey(orderId, 1),
                "Order " + orderId);
    }

    private JsonNode sent(LoggedRequest r) throws Exception {
        return json.readTree(r.getBodyAsString());
    }

    @Test
    void serverErrorsAreRetriedWithTheSameKeyAndTheSandboxHoldsOnePayment() throws Exception {
        String orderId = "ORD-A" + UUID.randomUUID().toString().substring(0, 8);
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v71/payments")).atPriority(1)
                .inScenario(prefix).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("one 500")
                .willReturn(aResponse().withStatus(500).withBody("{\"status\":500,\"errorCode\":\"905\","
                        + "\"message\":\"Payment details are not supported\",\"errorType\":\"configuration\"}")));
        proxyToSandbox();

        PaymentGateway.ChargeResult result = service.withRetries(prefix,
                () -> throughWireMock().charge(request(orderId, 5119, "EUR", "pm_card_visa")));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.status()).isEqualTo("Authorised");
        List<LoggedRequest> sent = journal();
        assertThat(sent).hasSize(2).extracting(r -> r.getHeader("Idempotency-Key"))
                .containsOnly(PaymentService.chargeKey(orderId, 1));
        assertThat(sent).extracting(r -> r.getHeader("X-API-Key")).containsOnly("adyen_test_sandbox");
        JsonNode body = sent(sent.get(1));
        assertThat(body.at("/amount/value").asLong()).isEqualTo(5119L);
        assertThat(body.at("/amount/currency").asText()).isEqualTo("EUR");
        assertThat(body.get("reference").asText()).isEqualTo(orderId);
        assertThat(body.at("/paymentMethod/type").asText()).isEqualTo("scheme");
        assertThat(body.at("/paymentMethod/storedPaymentMethodId").asText()).isEqualTo("pm_card_visa");
        assertThat(body.get("merchantAccount").asText()).isEqualTo("OrderHubSandboxECOM");

        assertThat(sandboxCount(orderId, "/v71/payments/")).as("one payment in the sandbox").isEqualTo(1);
        assertThat(sandboxReceived(orderId).get(0).get("body").get("pspReference").asText()).isEqualTo(result.intentId());
    }

    @Test
    void amountsAreSentInTheCurrencysMinorUnits() throws Exception {
        proxyToSandbox();
        String yen = "ORD-J" + UUID.randomUUID().toString().substring(0, 8);
        String dinar = "ORD-K" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(throughWireMock().charge(request(yen, MinorUnits.toMinor(new BigDecimal("1234"), "JPY"), "JPY",
                "pm_card_visa")).succeeded()).isTrue();
        assertThat(throughWireMock().charge(request(dinar, MinorUnits.toMinor(new BigDecimal("12.345"), "KWD"), "KWD",
                "pm_card_visa")).succeeded()).isTrue();

        List<LoggedRequest> sent = journal();
        assertThat(sent).hasSize(2);
        assertThat(sent(sent.get(0)).get("amount")).isEqualTo(json.readTree("{\"value\":1234,\"currency\":\"JPY\"}"));
        assertThat(sent(sent.get(1)).get("amount")).isEqualTo(json.readTree("{\"value\":12345,\"currency\":\"KWD\"}"));
        assertThat(sandboxReceived(dinar).get(0).get("body").at("/amount/value").asLong()).isEqualTo(12345L);
    }

    @Test
    void refusalsCarryAdyensReasonAndCode() {
        proxyToSandbox();
        PaymentGateway.ChargeResult generic = throughWireMock().charge(request("ORD-R" + UUID.randomUUID().toString()
                .substring(0, 8), 1000, "EUR", "pm_card_chargeDeclined"));
        PaymentGateway.ChargeResult funds = throughWireMock().charge(request("ORD-R" + UUID.randomUUID().toString()
                .substring(0, 8), 1000, "EUR", "pm_card_chargeDeclinedInsufficientFunds"));
        assertThat(generic).extracting(PaymentGateway.ChargeResult::succeeded, PaymentGateway.ChargeResult::status,
                PaymentGateway.ChargeResult::declineCode, PaymentGateway.ChargeResult::message)
                .containsExactly(false, "Refused", "2", "Refused");
        assertThat(funds).extracting(PaymentGateway.ChargeResult::succeeded, PaymentGateway.ChargeResult::declineCode,
                PaymentGateway.ChargeResult::message).containsExactly(false, "12", "Not enough balance");
    }

    @Test
    void clientErrorsAreNotRetriedAndRateLimitsAreUnavailable() {
        String orderId = "ORD-C" + UUID.randomUUID().toString().substring(0, 8);
        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v71/payments")).atPriority(1)
                .willReturn(aResponse().withStatus(403).withBody("{\"status\":403,\"errorCode\":\"010\","
                        + "\"message\":\"Not allowed\",\"errorType\":\"security\"}")));
        assertThatThrownBy(() -> service.withRetries(prefix, () -> throughWireMock().charge(request(orderId, 100, "EUR",
                "pm_card_visa")))).isInstanceOf(GatewayRejectedException.class).hasMessageContaining("403")
                .hasMessageContaining("Not allowed");
        assertThat(journal()).hasSize(1);

        wiremock().stubFor(WireMock.post(urlEqualTo(prefix + "/v71/payments")).atPriority(0)
                .willReturn(aResponse().withStatus(429).withBody("{\"status\":429,\"errorCode\":\"-\",\"message\":\"slow down\"}")));
        assertThatThrownBy(() -> throughWireMock().charge(request(orderId, 100, "EUR", "pm_card_visa")))
                .isInstanceOf(GatewayUnavailableException.class);
    }

    @Test
    void theSandboxHonoursIdempotencyKeysAndRefundsOnce() {
        PaymentGateway sandboxClient = gateways.get("adyen");
        String orderId = "ORD-I" + UUID.randomUUID().toString().substring(0, 8);
        PaymentGateway.ChargeResult first = sandboxClient.charge(request(orderId, 2500, "EUR", "pm_card_visa"));
        PaymentGateway.ChargeResult again = sandboxClient.charge(request(orderId, 2500, "EUR", "pm_card_visa"));
        assertThat(again.intentId()).isEqualTo(first.intentId());
        assertThat(sandboxCount(orderId, "/v71/payments/")).isEqualTo(1);
        assertThatThrownBy(() -> sandboxClient.charge(request(orderId, 2600, "EUR", "pm_card_visa")))
                .isInstanceOf(GatewayRejectedException.class).hasMessageContaining("422").hasMessageContaining("704");

        PaymentGateway.RefundRequest refund = new PaymentGateway.RefundRequest(orderId, first.intentId(), 2500,
                PaymentService.refundKey(orderId, 1), "EUR");
        PaymentGateway.RefundResult refunded = sandboxClient.refund(refund);
        assertThat(refunded.status()).isEqualTo("received");
        assertThat(sandboxClient.refund(refund).refundId()).as("same key, same answer").isEqualTo(refunded.refundId());
        assertThatThrownBy(() -> sandboxClient.refund(new PaymentGateway.RefundRequest(orderId, first.intentId(), 2500,
                PaymentService.refundKey(orderId, 2), "EUR"))).isInstanceOf(GatewayRejectedException.class)
                .hasMessageContaining("unrefunded");
        assertThat(sandboxCount(orderId, "/v71/payments/" + first.intentId() + "/refunds/")).isEqualTo(1);
    }
}
