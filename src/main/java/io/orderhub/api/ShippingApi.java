package io.orderhub.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.shipping.Carriers;
import io.orderhub.shipping.EasyPostClient;
import io.orderhub.shipping.ShippingProperties;
import io.orderhub.shipping.ShippingService;
import io.orderhub.shipping.WebhookSignature;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * REST adapter of shipping: the carriers' signed webhooks ({@code tracker.updated} events, EasyPost
 * format, HMAC signature instead of an API key) and the held parcels for operations.
 */
@Component("shippingApi")
public class ShippingApi {

    private final Carriers carriers;
    private final ShippingService shipping;
    private final ObjectMapper json;

    public ShippingApi(Carriers carriers, ShippingService shipping, ObjectMapper json) {
        this.carriers = carriers;
        this.shipping = shipping;
        this.json = json;
    }

    /** Verifies the signature (401 when missing or wrong), ignores replays and stale statuses, applies the rest. */
    public void carrierWebhook(Exchange exchange) {
        String carrier = ApiExchange.header(exchange, "carrier");
        exchange.getMessage().removeHeader("carrier");
        ShippingProperties.Account account = carriers.account(carrier).orElse(null);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String signature = ApiExchange.header(exchange, WebhookSignature.HEADER);
        if (account == null || !WebhookSignature.valid(account.webhookSecret(), body, signature)) {
            // the same answer for an unknown carrier and a bad signature: nothing to learn from probing
            throw OrderHubException.field(Problem.UNAUTHENTICATED, WebhookSignature.HEADER,
                    "missing or invalid webhook signature (hmac-sha256-hex of the body with the carrier account's webhook secret)");
        }
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (IOException e) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "is not valid JSON");
        }
        String eventId = event.path("id").asText(null);
        if (eventId == null || !event.path("result").isObject()) {
            throw OrderHubException.field(Problem.INVALID, eventId == null ? "id" : "result",
                    "a carrier event needs an id and a result object");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("eventId", eventId);
        if (!"tracker.updated".equals(event.path("description").asText())) {
            answer.put("outcome", "IGNORED");
        } else {
            answer.put("outcome", shipping.onWebhookEvent(carrier, eventId, EasyPostClient.tracking(event.get("result"))).name());
        }
        exchange.getMessage().setBody(answer);
    }

    /** Parcels the carrier refused (undeliverable address, no rate), with the carrier's message. */
    public void held(Exchange exchange) {
        List<ShippingService.Parcel> held = shipping.held();
        exchange.getMessage().setBody(held);
    }

    /** Puts a held parcel back in the dispatcher's queue after the address was fixed. */
    public void release(Exchange exchange) {
        String id = ApiExchange.header(exchange, "id");
        ShippingService.Parcel p = shipping.parcel(id).orElseThrow(() -> OrderHubException.field(Problem.NOT_FOUND, "id",
                "no parcel for shipment '" + id + "'"));
        if (!"HELD".equals(p.state())) {
            throw OrderHubException.field(Problem.CONFLICT, "id", "shipment " + id + " is " + p.state() + ", not HELD");
        }
        exchange.getMessage().setBody(shipping.release(id));
    }
}
