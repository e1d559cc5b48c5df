package io.orderhub.payment;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Calls to the payment gateways: through the gateway's circuit breaker, again after timeouts, 5xx and
 * 429 with backoff, and with the same idempotency key on every try.
 */
@Component
class GatewayCalls {

    private static final Logger log = LoggerFactory.getLogger(GatewayCalls.class);

    private final PaymentGateways gateways;
    private final PaymentProperties properties;

    GatewayCalls(PaymentGateways gateways, PaymentProperties properties) {
        this.gateways = gateways;
        this.properties = properties;
    }

    /** Sends a PENDING charge row to its gateway with the row's idempotency key (retries, breaker). */
    PaymentGateway.ChargeResult send(Payment row, String token) {
        return send(row, token, "Order " + row.orderId(), false);
    }

    /** As {@link #send(Payment, String)}, with the description and whether the buyer is absent (off session). */
    PaymentGateway.ChargeResult send(Payment row, String token, String description, boolean offSession) {
        PaymentGateway gateway = gateways.get(row.gateway());
        return withRetries(row.gateway(), () -> gateway.charge(new PaymentGateway.ChargeRequest(row.orderId(),
                row.amountMinor(), row.currency(), token, row.idempotencyKey(), description, offSession)));
    }

    /**
     * Calls again after timeouts, 5xx and 429, backing off; the call carries the same idempotency key
     * each time. Goes through the circuit breaker named {@code breakerName}: an open breaker fails the
     * call at once.
     */
    <T> T withRetries(String breakerName, Supplier<T> call) {
        CircuitBreaker breaker = gateways.breaker(breakerName);
        long delay = properties.retryDelay().toMillis();
        for (int attempt = 1; ; attempt++) {
            if (!breaker.allow()) {
                throw new GatewayUnavailableException("circuit breaker of " + breakerName + " is open", null);
            }
            try {
                T answer = call.get();
                breaker.success();
                return answer;
            } catch (GatewayRejectedException e) {
                breaker.success();
                throw e;
            } catch (GatewayUnavailableException e) {
                breaker.failure();
                if (attempt >= properties.maxAttempts()) {
                    throw e;
                }
                log.warn("payment gateway unavailable (try {} of {}), retrying in {} ms: {}", attempt,
                        properties.maxAttempts(), delay, e.getMessage());
                pause(delay);
                delay = Math.min(delay * 2, 30_000);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayUnavailableException("interrupted while backing off", e);
        }
    }
}
