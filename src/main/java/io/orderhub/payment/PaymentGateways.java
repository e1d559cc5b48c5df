package io.orderhub.payment;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.PartnerHttp;
import io.orderhub.common.Problem;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The configured gateways by name ({@code orderhub.payment.gateways.<name>}). A gateway's client is
 * built on first use, so a base URL may name the port the hub listens on
 * ({@code ${local.server.port}}) once it is known. The clients share one pool of connections
 * ({@link PartnerHttp}), closed with this registry.
 */
@Component
public class PaymentGateways {

    private final PaymentProperties properties;
    private final Environment env;
    private final ObjectMapper json;
    private final java.time.Clock clock;
    private final Map<String, PaymentGateway> clients = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final PartnerHttp http;

    public PaymentGateways(PaymentProperties properties, Environment env, ObjectMapper json, java.time.Clock clock) {
        this.properties = properties;
        this.env = env;
        this.json = json;
        this.clock = clock;
        this.http = new PartnerHttp(properties.connectTimeout());
    }

    @jakarta.annotation.PreDestroy
    void closeConnections() {
        http.close();
    }

    /** The circuit breaker of a gateway (any name: tests use their own). */
    public CircuitBreaker breaker(String name) {
        return breakers.computeIfAbsent(name, n -> new CircuitBreaker(properties.breakerThreshold(),
                properties.breakerOpenFor(), clock));
    }

    public Set<String> names() {
        return properties.gateways().keySet();
    }

    public boolean exists(String name) {
        return name != null && properties.gateways().containsKey(name);
    }

    public PaymentProperties.Gateway settings(String name) {
        PaymentProperties.Gateway g = name == null ? null : properties.gateways().get(name);
        if (g == null) {
            throw OrderHubException.field(Problem.NOT_FOUND, "gateway", "payment gateway '" + name
                    + "' is not configured (orderhub.payment.gateways: " + names() + ")");
        }
        return g;
    }

    public PaymentGateway get(String name) {
        PaymentProperties.Gateway g = settings(name);
        return clients.computeIfAbsent(name, n -> {
            PaymentProperties.Gateway resolved = g.at(g.baseUrl() == null ? null : env.resolveRequiredPlaceholders(g.baseUrl()));
            return client(n, resolved);
        });
    }

    /** For tests and tools: a client for a gateway at another address. */
    public PaymentGateway at(String name, String baseUrl) {
        PaymentProperties.Gateway g = settings(name);
        return client(name, g.at(baseUrl));
    }

    /** A client of the gateway's {@code type}: {@code stripe} (the default) or {@code adyen}. */
    private PaymentGateway client(String name, PaymentProperties.Gateway g) {
        String type = g.type() == null ? "stripe" : g.type();
        return switch (type) {
            case "stripe" -> new StripeGateway(name, g, http, properties.requestTimeout(), json);
            case "adyen" -> new AdyenGateway(name, g, http, properties.requestTimeout(), json);
            default -> throw new IllegalStateException("payment gateway '" + name + "' has type '" + type
                    + "'; supported: stripe, adyen");
        };
    }
}
