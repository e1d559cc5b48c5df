package io.orderhub.api;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.returns.ChannelRefunds;
import io.orderhub.returns.ReturnService;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** REST adapter of returns (routes/returns-api.camel.yaml): reads the request, calls the returns service. */
@Component("returnApi")
public class ReturnApi {

    /** The request header that makes a return request idempotent. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** The exchange property naming the mapping of a channel's refund document (routes/returns-api). */
    public static final String REFUND_MAPPING = "refundMapping";
    static final String REFUND_UNMAPPABLE = "refundUnmappable";

    private final ReturnService returns;
    private final InventoryApi bodies;
    private final ChannelRefunds channelRefunds;

    public ReturnApi(ReturnService returns, InventoryApi bodies, ChannelRefunds channelRefunds) {
        this.returns = returns;
        this.bodies = bodies;
        this.channelRefunds = channelRefunds;
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

    /**
     * {@code POST /api/channels/{channel}/refunds?format=}: checks the caller and the format, and names the
     * mapping the route runs over the body ({@link #REFUND_MAPPING}); the body as text for it.
     */
    public void refundMapping(Exchange exchange) {
        exchange.setProperty(REFUND_MAPPING, channelRefunds.mapping(ApiExchange.header(exchange, "channel"),
                ApiExchange.header(exchange, "format"), ApiExchange.caller(exchange)));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "is empty: the channel's refund document is expected");
        }
        exchange.getMessage().setBody(body);
    }

    /**
     * The refund mapping failed: kept on the exchange (not thrown here: inside the route's doCatch the API's error
     * handling does not apply) and answered by {@link #channelRefund}: not JSON 400, a problem the mapping reported
     * or met 422.
     */
    public void unmappableRefund(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String message = e == null || e.getMessage() == null ? "the refund could not be mapped" : e.getMessage();
        exchange.setProperty(REFUND_UNMAPPABLE, OrderHubException.field(message.contains("is not JSON")
                ? Problem.MALFORMED : Problem.INVALID, "body", message));
    }

    /** The mapped refund recorded as a return: 201 with Location, 200 for the same refund again. */
    public void channelRefund(Exchange exchange) {
        OrderHubException unmappable = exchange.getProperty(REFUND_UNMAPPABLE, OrderHubException.class);
        if (unmappable != null) {
            throw unmappable;
        }
        ChannelRefunds.Recorded r = channelRefunds.record(ApiExchange.header(exchange, "channel"),
                ApiExchange.header(exchange, "format").strip().toLowerCase(java.util.Locale.ROOT),
                exchange.getMessage().getBody(com.fasterxml.jackson.databind.JsonNode.class), ApiExchange.caller(exchange));
        exchange.setProperty(InventoryApi.CREATED, r.created());
        exchange.getMessage().setHeader("Location", "/api/returns/" + r.view().get("returnId"));
        exchange.getMessage().setBody(r.view());
    }
}
