package io.orderhub.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.common.CallRecord;
import io.orderhub.payment.CircuitBreaker;
import io.orderhub.payment.PaymentGateways;
import io.orderhub.shipping.Carriers;
import io.orderhub.sync.outbound.SyncTarget;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health of each connector to a partner system, under {@code connectors} in {@code /actuator/health}:
 * {@code payment-<gateway>} from the gateway's circuit breaker (OPEN: OUT_OF_SERVICE; HALF_OPEN: UP,
 * trying again), {@code carrier-<account>}, {@code erp}, {@code crm} from their last call
 * (OUT_OF_SERVICE after {@code orderhub.ops.health.connector-failures} failed calls in a row). A partner
 * being away is never DOWN: the hub keeps taking orders and holds the work (PENDING payments, queued
 * sync events, parcels waiting), so the hub's status and its readiness stay UP (see the status order
 * in application.yaml); the {@code partners} health group ({@code /actuator/health/partners}) answers 503 while any connector is out.
 */
@Configuration(proxyBeanMethods = false)
class ConnectorHealth {

    @Bean
    HealthContributor connectors(PaymentGateways payments, Carriers carriers, List<SyncTarget> targets,
                                 OpsProperties ops) {
        int failures = ops.health().connectorFailures();
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        for (String gateway : payments.names()) {
            indicators.put("payment-" + gateway, () -> breaker(payments.breaker(gateway)));
        }
        carriers.all().forEach((account, gateway) -> {
            if (gateway.calls() != null) {
                indicators.put("carrier-" + account, () -> lastCall(gateway.calls(), failures));
            }
        });
        for (SyncTarget target : targets) {
            if (target.calls() != null) {
                indicators.put(target.name(), () -> lastCall(target.calls(), failures));
            }
        }
        return CompositeHealthContributor.fromMap(indicators);
    }

    static Health breaker(CircuitBreaker breaker) {
        CircuitBreaker.State state = breaker.state();
        Health.Builder h = state == CircuitBreaker.State.OPEN ? Health.outOfService() : Health.up();
        return h.withDetail("circuitBreaker", state.name()).build();
    }

    static Health lastCall(CallRecord calls, int failures) {
        CallRecord.Outcome last = calls.last();
        if (last == null) {
            return Health.up().withDetail("lastCall", "none yet").build();
        }
        Health.Builder h = last.consecutiveFailures() >= failures ? Health.outOfService() : Health.up();
        return h.withDetail("lastCallAt", last.at().toString())
                .withDetail("lastCallReached", last.reached())
                .withDetail("lastCall", last.detail())
                .withDetail("failuresInARow", last.consecutiveFailures()).build();
    }
}
