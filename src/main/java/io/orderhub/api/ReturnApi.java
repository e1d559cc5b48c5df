package io.orderhub.api;

import io.orderhub.returns.ReturnService;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** REST adapter of returns (routes/returns-api.camel.yaml): reads the request, calls the returns service. */
@Component("returnApi")
public class ReturnApi {

    /** The request header that makes a return request idempotent. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final ReturnService returns;
    private final InventoryApi bodies;

    public ReturnApi(ReturnService returns, InventoryApi bodies) {
        this.returns = returns;
        this.bodies = bodies;
    }

    /** {@code POST /api/orders/{id}/returns}: 201 with Location for a new return, 200 for the same key again. */
    public void request(Exchange exchange) {
        ReturnService.Requested r = returns.request(ApiExchange.header(exchange, "id"), bodies.body(exchange),
                ApiExchange.header(exchange, IDEMPOTENCY_KEY), ApiExchange.caller(exchange));
        exchange.setProperty(InventoryApi.CREATED, r.created());
        exchange.getMessage().setHeader("Location", "/api/returns/" + r.view().get("returnId"));
        exchange.getMessage().setBody(r.view());
    }

    public void get(Exchange exchange) {
        exchange.getMessage().setBody(returns.get(ApiExchange.header(exchange, "id"), ApiExchange.caller(exchange)));
    }

    public void events(Exchange exchange) {
        exchange.getMessage().setBody(returns.events(ApiExchange.header(exchange, "id"), ApiExchange.caller(exchange)));
    }

    public void ofOrder(Exchange exchange) {
        exchange.getMessage().setBody(returns.ofOrder(ApiExchange.header(exchange, "id"), ApiExchange.caller(exchange)));
    }

    public void receipt(Exchange exchange) {
        exchange.getMessage().setBody(returns.receive(ApiExchange.header(exchange, "id"), bodies.body(exchange),
                ApiExchange.caller(exchange)));
    }

    public void cancel(Exchange exchange) {
        String reason = null;
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > 0) {
            reason = CancelRequest.reason(body);
        }
        exchange.getMessage().setBody(returns.cancel(ApiExchange.header(exchange, "id"), reason,
                ApiExchange.caller(exchange)));
    }

    /** {@code POST /api/returns/{id}/reject} {reason} (required). */
    public void reject(Exchange exchange) {
        String reason = null;
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > 0) {
            reason = CancelRequest.reason(body);
        }
        exchange.getMessage().setBody(returns.reject(ApiExchange.header(exchange, "id"), reason,
                ApiExchange.caller(exchange)));
    }
}
