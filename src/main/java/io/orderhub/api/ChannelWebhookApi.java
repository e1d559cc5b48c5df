package io.orderhub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.OrderHubException;
import io.orderhub.returns.ChannelWebhooks;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Reads {@code POST /api/webhooks/channels/{channel}} (routes/channel-webhooks.camel.yaml) into {@link ChannelWebhooks}:
 * the raw body and the platform's headers for the signature check, then the mapped body for its topic.
 */
@Component("channelWebhookApi")
public class ChannelWebhookApi {

    /** The exchange property naming the mapping the route runs over the body (absent: answered already). */
    public static final String WEBHOOK_MAPPING = "webhookMapping";
    static final String DELIVERY = "channelWebhookDelivery";
    static final String UNMAPPABLE = "channelWebhookUnmappable";

    private final ChannelWebhooks webhooks;

    public ChannelWebhookApi(ChannelWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    /** Verifies the delivery; a replay or an ignored topic gets its answer as the body, else the mapping is named. */
    public void verify(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        ChannelWebhooks.Delivery d = webhooks.verify(ApiExchange.header(exchange, "channel"),
                name -> ApiExchange.header(exchange, name), body == null ? new byte[0] : body);
        exchange.setProperty(DELIVERY, d);
        if (d.mapping() == null) {
            exchange.getMessage().setBody(d.answer());
        } else {
            exchange.setProperty(WEBHOOK_MAPPING, d.mapping());
            exchange.getMessage().setBody(body);
        }
    }

    /** The mapping failed: kept (inside the route's doCatch the API's error handling does not apply), thrown by apply. */
    public void unmappable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String message = e == null || e.getMessage() == null ? "the webhook could not be mapped" : e.getMessage();
        exchange.setProperty(UNMAPPABLE, OrderHubException.field(message.contains("is not JSON")
                ? io.orderhub.common.Problem.MALFORMED : io.orderhub.common.Problem.INVALID, "body", message));
    }

    public void apply(Exchange exchange) {
        OrderHubException unmappable = exchange.getProperty(UNMAPPABLE, OrderHubException.class);
        if (unmappable != null) {
            throw unmappable;
        }
        ChannelWebhooks.Delivery d = exchange.getProperty(DELIVERY, ChannelWebhooks.Delivery.class);
        exchange.getMessage().setBody(webhooks.apply(d, exchange.getMessage().getBody(JsonNode.class)));
    }
}
