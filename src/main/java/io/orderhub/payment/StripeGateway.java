package io.orderhub.payment;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.PartnerHttp;

/**
 * A Stripe-compatible client: {@code POST /v1/payment_intents} (form-encoded, amount in minor units,
 * {@code confirm=true}) and {@code POST /v1/refunds}, Bearer key, {@code Idempotency-Key} on every
 * POST. A card decline (402 card_error, or an intent left in requires_payment_method) is a declined
 * {@link ChargeResult}; timeouts, connection failures, 5xx and 429 are
 * {@link GatewayUnavailableException}; other 4xx are {@link GatewayRejectedException}.
 */
public class StripeGateway implements PaymentGateway {

    private final String name;
    private final String baseUrl;
    private final String apiKey;
    private final Duration requestTimeout;
    private final PartnerHttp http;
    private final ObjectMapper json;

    public StripeGateway(String name, PaymentProperties.Gateway settings, PartnerHttp http, Duration requestTimeout,
                         ObjectMapper json) {
        if (settings.baseUrl() == null || settings.baseUrl().isBlank()) {
            throw new IllegalStateException("orderhub.payment.gateways." + name + ".base-url is not set");
        }
        this.name = name;
        this.baseUrl = settings.baseUrl().replaceAll("/+$", "");
        this.apiKey = settings.apiKey() == null ? "" : settings.apiKey();
        this.requestTimeout = requestTimeout;
        this.json = json;
        this.http = http;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ChargeResult charge(ChargeRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("amount", Long.toString(request.amountMinor()));
        form.put("currency", request.currency().toLowerCase(Locale.ROOT));
        form.put("payment_method", request.token());
        form.put("confirm", "true");
        if (request.offSession()) {
            // merchant-initiated: the buyer is not in a checkout (Stripe needs a payment method it may reuse)
            form.put("off_session", "true");
        }
        form.put("payment_method_types[]", "card");
        form.put("description", request.description());
        form.put("metadata[order_id]", request.orderId());
        PartnerHttp.Answer r = post("/v1/payment_intents", form, request.idempotencyKey());
        JsonNode body = read(r);
        if (r.statusCode() == 200) {
            String status = body.path("status").asText();
            if ("succeeded".equals(status)) {
                return new ChargeResult(true, body.path("id").asText(null), status, null, null);
            }
            if (!"requires_payment_method".equals(status) && !"canceled".equals(status)) {
                // processing, requires_action, ...: not decided yet; a webhook or a later try with the same key decides
                throw new GatewayUnavailableException(name + ": payment intent " + body.path("id").asText() + " is '" + status
                        + "'", null);
            }
            JsonNode error = body.path("last_payment_error");
            return new ChargeResult(false, body.path("id").asText(null), status,
                    text(error, "decline_code", text(error, "code", status)), text(error, "message", "payment intent is " + status));
        }
        JsonNode error = body.path("error");
        if (r.statusCode() == 402 && "card_error".equals(error.path("type").asText())) {
            return new ChargeResult(false, error.path("payment_intent").path("id").asText(null),
                    error.path("payment_intent").path("status").asText("requires_payment_method"),
                    text(error, "decline_code", text(error, "code", "card_declined")), text(error, "message", "card declined"));
        }
        throw refusal(r, error);
    }

    @Override
    public RefundResult refund(RefundRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("payment_intent", request.intentId());
        form.put("amount", Long.toString(request.amountMinor()));
        form.put("reason", "requested_by_customer");
        form.put("metadata[order_id]", request.orderId());
        PartnerHttp.Answer r = post("/v1/refunds", form, request.idempotencyKey());
        JsonNode body = read(r);
        if (r.statusCode() == 200) {
            return new RefundResult(body.path("id").asText(null), body.path("status").asText());
        }
        throw refusal(r, body.path("error"));
    }

    private RuntimeException refusal(PartnerHttp.Answer r, JsonNode error) {
        String message = name + " answered " + r.statusCode() + ": " + text(error, "message", r.body());
        if (r.statusCode() == 409 && "idempotency_key_in_use".equals(error.path("code").asText())) {
            // another request with this key is still going through (Stripe's 409): ask again later, same key
            return new GatewayUnavailableException(message, null);
        }
        return GatewayHttp.refusal(r, message);
    }

    private PartnerHttp.Answer post(String path, Map<String, String> form, String idempotencyKey) {
        String body = form.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return GatewayHttp.post(http, name, URI.create(baseUrl + path), path, requestTimeout, Map.of(
                "Authorization", "Bearer " + apiKey,
                "Content-Type", "application/x-www-form-urlencoded",
                "Idempotency-Key", idempotencyKey), body);
    }

    private JsonNode read(PartnerHttp.Answer r) {
        return GatewayHttp.read(json, name, r);
    }

    private static String text(JsonNode node, String field, String fallback) {
        return GatewayHttp.text(node, field, fallback);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
