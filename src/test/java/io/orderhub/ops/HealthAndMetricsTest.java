package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.payment.CircuitBreaker;
import io.orderhub.payment.PaymentGateways;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * /actuator/health shows operators (an OPS key) the database, the broker, mail and every connector; an OPEN breaker puts its
 * connector OUT_OF_SERVICE without failing the hub's health or readiness. Prometheus shows orders per
 * state and channel, stage latency histograms, dead letters and queue depths.
 */
class HealthAndMetricsTest extends HubTestSupport {

    @Autowired
    PaymentGateways gateways;

    @Autowired
    ObjectProvider<Tracer> tracer;

    @Test
    void healthShowsDatabaseBrokerMailAndEveryConnector() {
        Response health = get("/actuator/health", OPS_KEY);
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        JsonNode components = health.body().get("components");
        assertThat(components.get("db").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("jms").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("mail").get("status").asText()).as(components.get("mail").toString()).isEqualTo("UP");
        assertThat(components.at("/mail/details/imap").asText()).isEqualTo("reachable");
        JsonNode connectors = components.get("connectors").get("components");
        assertThat(connectors.fieldNames()).toIterable().contains("payment-stripe", "payment-adyen", "carrier-easypost",
                "carrier-wiremock", "erp", "crm");
        assertThat(connectors.at("/payment-stripe/details/circuitBreaker").asText()).isIn("CLOSED", "HALF_OPEN", "OPEN");
    }

    @Test
    void anOpenBreakerTakesItsConnectorOutOfServiceButNotTheHub() {
        CircuitBreaker breaker = gateways.breaker("adyen");
        try {
            for (int i = 0; i < 10 && breaker.state() != CircuitBreaker.State.OPEN; i++) {
                breaker.failure();
            }
            Response connectors = get("/actuator/health/partners", OPS_KEY);
            assertThat(connectors.status()).as(connectors.toString()).isEqualTo(503);
            JsonNode adyen = connectors.body().at("/components/connectors/components/payment-adyen");
            assertThat(adyen.get("status").asText()).isEqualTo("OUT_OF_SERVICE");
            assertThat(adyen.at("/details/circuitBreaker").asText()).isEqualTo("OPEN");

            Response hub = get("/actuator/health", null);
            assertThat(hub.status()).isEqualTo(200);
            assertThat(hub.body().get("status").asText()).isEqualTo("UP");
            assertThat(get("/actuator/health/readiness", null).status()).isEqualTo(200);
        } finally {
            breaker.success();
        }
        assertThat(get("/actuator/health/partners", OPS_KEY).body().at("/components/connectors/components/payment-adyen/status")
                .asText()).isEqualTo("UP");
    }

    @Test
    void withTracingOffThereIsNoTracerAndRequestsAreStillMeasured() {
        // orderhub.tracing.enabled is false here: Boot's tracer and its per-request spans are left out (OrderHubEnvironment)
        assertThat(tracer.getIfAvailable()).isNull();
        assertThat(get("/api/ops/overview", OPS_KEY).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/actuator/prometheus", null).text())
                .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*} [1-9]"));
    }

    @Test
    void prometheusShowsOrdersPerStateStageLatencyAndQueueDepths() {
        String orderId = postJson("/api/orders", B2B_KEY, order()).body().get("orderId").asText();
        assertThat(postJson("/api/orders/" + orderId + "/cancel", B2B_KEY, "").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = get("/actuator/prometheus", null).text();
            assertThat(metrics).containsPattern("orderhub_orders_current\\{[^}]*channel=\"b2b\"[^}]*status=\"CANCELLED\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("orderhub_order_stage_seconds_bucket\\{[^}]*channel=\"b2b\"[^}]*from=\"CREATED\""
                    + "[^}]*to=\"CANCELLED\"");
            assertThat(metrics).containsPattern("orderhub_order_stage_seconds_count\\{[^}]*from=\"CREATED\"[^}]*to=\"CANCELLED\"[^}]*} [1-9]");
            assertThat(metrics).containsPattern("orderhub_queue_depth\\{[^}]*queue=\"inventory.reserve\"[^}]*} \\d");
            assertThat(metrics).containsPattern("orderhub_queue_depth\\{[^}]*queue=\"crm.sync\"[^}]*} \\d");
            // every subscription on orders.events, the notifier's too (BrokerQueues)
            assertThat(metrics).containsPattern("orderhub_queue_depth\\{[^}]*queue=\"notify.customer\"[^}]*} \\d");
            assertThat(metrics).contains("orderhub_orders_transitions_total{");
        });
    }
}
