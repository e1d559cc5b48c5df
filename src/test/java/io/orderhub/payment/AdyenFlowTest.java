package io.orderhub.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.channel.ChannelRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The payment stage against the in-hub Adyen sandbox, for a channel whose {@code paymentGateway} is
 * {@code adyen}: a test channel (key demo-adyen) added to the test copy of channels.yaml, because
 * the demo channel b2b, which pays through adyen, is left CONFIRMED by the test configuration.
 */
class AdyenFlowTest extends PaymentTestSupport {

    static final String ADYEN_CHANNEL = "adyen-test";
    static final String ADYEN_KEY = "test-adyen-channel-secret";

    @Autowired
    ChannelRegistry channels;

    @BeforeEach
    void channelPaysThroughAdyen() throws IOException {
        addChannel(channels);
    }

    static synchronized void addChannel(ChannelRegistry channels) throws IOException {
        if (channels.find(ADYEN_CHANNEL).isPresent()) {
            return;
        }
        Path file = MAPPINGS.resolve(ChannelRegistry.FILE);
        String text = Files.readString(file);
        if (!text.contains("id: " + ADYEN_CHANNEL)) {
            Files.writeString(file, text.stripTrailing() + "\n" + """
                      - id: adyen-test
                        name: Test channel paying through the Adyen gateway
                        formats: [canonical]
                        transports: [rest]
                        senders: []
                        backorders: false
                        paymentGateway: adyen
                        apiKeys: [demo-adyen]
                        locale: en
                    """);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> channels.find(ADYEN_CHANNEL).isPresent());
    }

    @Test
    void cardOrderIsChargedThroughAdyenThenPaidAndAllocated() {
        String sku = product(5);
        String orderId = submit(ADYEN_KEY, orderFor(sku, 2, Map.of("method", "card", "token", "pm_card_visa")));
        awaitStatus(orderId, "ALLOCATED");

        List<Map<String, Object>> rows = payments(orderId);
        assertThat(rows).singleElement().satisfies(charge -> {
            assertThat(charge).containsEntry("kind", "CHARGE").containsEntry("status", "SUCCEEDED")
                    .containsEntry("gateway", "adyen").containsEntry("idempotency_key", PaymentService.chargeKey(orderId, 1));
            assertThat(((Number) charge.get("amount_minor")).longValue()).isEqualTo(2000L);
        });
        JsonNode received = sandboxReceived(orderId);
        assertThat(received).hasSize(1);
        JsonNode payment = received.get(0);
        assertThat(payment.get("path").asText()).startsWith("/v71/payments/");
        assertThat(payment.at("/body/resultCode").asText()).isEqualTo("Authorised");
        assertThat(payment.at("/body/amount/value").asLong()).isEqualTo(2000L);
        assertThat(payment.at("/body/amount/currency").asText()).isEqualTo("EUR");
        assertThat(payment.at("/body/pspReference").asText()).isEqualTo(rows.get(0).get("intent_id"));

        JsonNode events = get("/api/orders/" + orderId + "/events", OPS_KEY).body();
        assertThat(events.findValuesAsText("type")).containsSubsequence("order.confirmed", "order.paid", "order.allocated");
    }

    @Test
    void refusedCardCancelsWithAdyensRefusalReasonAndReleasesTheStock() {
        String sku = product(5);
        String orderId = submit(ADYEN_KEY, orderFor(sku, 3,
                Map.of("method", "card", "token", "pm_card_chargeDeclinedInsufficientFunds")));
        awaitStatus(orderId, "CANCELLED");

        assertThat(available(sku)).isEqualTo(5);
        assertThat(payments(orderId)).singleElement().satisfies(p -> assertThat(p)
                .containsEntry("status", "DECLINED").containsEntry("gateway", "adyen").containsEntry("decline_code", "12"));
        JsonNode events = get("/api/orders/" + orderId + "/events", OPS_KEY).body();
        JsonNode cancelled = events.get(events.size() - 1);
        assertThat(cancelled.get("toStatus").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("detail").asText()).contains("adyen").contains("Not enough balance");
    }

    @Test
    void cancelAfterPaymentRefundsOnceThroughAdyen() {
        String sku = product(5);
        String orderId = submit(ADYEN_KEY, orderFor(sku, 1, Map.of("method", "card", "token", "pm_card_visa")));
        awaitStatus(orderId, "ALLOCATED");

        Response first = postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, Map.of("reason", "customer changed mind"));
        Response second = postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, Map.of("reason", "customer changed mind"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(second.status()).as(second.toString()).isEqualTo(409);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(payments(orderId))
                .filteredOn(p -> "REFUND".equals(p.get("kind"))).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("status", "SUCCEEDED").containsEntry("gateway", "adyen")
                        .containsEntry("idempotency_key", PaymentService.refundKey(orderId, 1))));
        String psp = (String) payments(orderId).stream().filter(p -> "CHARGE".equals(p.get("kind"))).findFirst()
                .orElseThrow().get("intent_id");
        assertThat(sandboxCount(orderId, "/v71/payments/" + psp + "/refunds/")).isEqualTo(1);
        assertThat(sandboxReceived(orderId)).hasSize(2);
        JsonNode refund = sandboxReceived(orderId).findParents("paymentPspReference").get(0);
        assertThat(refund.get("status").asText()).isEqualTo("received");
        assertThat(refund.at("/amount/value").asLong()).isEqualTo(1000L);
        assertThat(refund.at("/amount/currency").asText()).isEqualTo("EUR");
        assertThat(available(sku)).isEqualTo(5);
    }
}
