package io.orderhub.payment;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.PartnerHttp;

/**
 * An Adyen Checkout API client (v71): {@code POST /v71/payments} with a stored card token
 * ({@code paymentMethod.storedPaymentMethodId}, amount in minor units) and
 * {@code POST /v71/payments/{pspReference}/refunds}, {@code X-API-Key}, {@code Idempotency-Key} on
 * every POST. {@code resultCode} Authorised is a success; Refused, Cancelled and Error are declined
 * {@link ChargeResult}s (decline code = {@code refusalReasonCode}, message = {@code refusalReason});
 * any other result code (Pending, Received, RedirectShopper, ...) is not decided yet and is
 * {@link GatewayUnavailableException} like timeouts, connection failures, 5xx and 429; other 4xx are
 * {@link GatewayRejectedException}.
 */
public class AdyenGateway implements PaymentGateway {

    static final String API = "/v71";

    private final String name;
    private final String baseUrl;
    private final String apiKey;
    private final String merchantAccount;
    private final Duration requestTimeout;
    private final PartnerHttp http;
    private final ObjectMapper json;

    public AdyenGateway(String name, PaymentProperties.Gateway settings, PartnerHttp http, Duration requestTimeout,
                        ObjectMapper json) {
        if (settings.baseUrl() == null || settings.baseUrl().isBlank()) {
            throw new IllegalStateException("orderhub.payment.gateways." + name + ".base-url is not set");
        }
        if (settings.merchantAccount() == null || settings.merchantAccount().isBlank()) {
            throw new IllegalStateException("orderhub.payment.gateways." + name + ".merchant-account is not set");
        }
        this.name = name;
        this.baseUrl = settings.baseUrl().replaceAll("/+$", "");
        this.apiKey = settings.apiKey() == null ? "" : settings.apiKey();
        this.merchantAccount = settings.merchantAccount();
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
        ObjectNode body = json.createObjectNode();
        amount(body, request.amountMinor(), request.currency());
        body.put("reference", request.orderId());
        body.putObject("paymentMethod").put("type", "scheme").put("storedPaymentMethodId", request.token());
        body.put("merchantAccount", merchantAccount);
        body.put("shopperInteraction", "ContAuth");
        body.put("recurringProcessingModel", "UnscheduledCardOnFile");
        if (request.description() != null) {
            body.put("shopperStatement", request.description().length() > 22
                    ? request.description().substring(0, 22) : request.description());
        }
        PartnerHttp.Answer r = post(API + "/payments", body, request.idempotencyKey());
        JsonNode answer = read(r);
        if (r.statusCode() != 200) {
            throw refusal(r, answer);
        }
        String resultCode = answer.path("resultCode").asText("");
        String psp = answer.path("pspReference").asText(null);
        return switch (resultCode) {
            case "Authorised" -> new ChargeResult(true, psp, resultCode, null, null);
            case "Refused", "Cancelled", "Error" -> new ChargeResult(false, psp, resultCode,
                    text(answer, "refusalReasonCode", resultCode.toLowerCase(Locale.ROOT)),
                    text(answer, "refusalReason", "payment " + resultCode.toLowerCase(Locale.ROOT)));
            // Pending, Received, RedirectShopper, ...: not decided yet; a later try with the same key decides
            default -> throw new GatewayUnavailableException(name + ": payment " + psp + " has resultCode '" + resultCode
                    + "'", null);
        };
    }

    @Override
    public RefundResult refund(RefundRequest request) {
        ObjectNode body = json.createObjectNode();
        amount(body, request.amountMinor(), request.currency());
        body.put("merchantAccount", merchantAccount);
        body.put("reference", request.orderId() + "-refund");
        PartnerHttp.Answer r = post(API + "/payments/" + URLEncoder.encode(request.intentId(), StandardCharsets.UTF_8)
                + "/refunds", body, request.idempotencyKey());
        JsonNode answer = read(r);
        if (r.statusCode() == 200 || r.statusCode() == 201) {
            return new RefundResult(answer.path("pspReference").asText(null), answer.path("status").asText());
        }
        throw refusal(r, answer);
    }

    private static void amount(ObjectNode body, long minor, String currency) {
        ObjectNode amount = body.putObject("amount");
        amount.put("value", minor);
        if (currency != null) {
            amount.put("currency", currency.toUpperCase(Locale.ROOT));
        }
    }

    private RuntimeException refusal(PartnerHttp.Answer r, JsonNode error) {
        String message = name + " answered " + r.statusCode() + ": " + text(error, "errorCode", "-") + " "
                + text(error, "message", r.body());
        return GatewayHttp.refusal(r, message);
    }

    private PartnerHttp.Answer post(String path, ObjectNode body, String idempotencyKey) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return GatewayHttp.post(http, name, URI.create(baseUrl + path), path, requestTimeout, Map.of(
                "X-API-Key", apiKey,
                "Content-Type", "application/json",
                "Idempotency-Key", idempotencyKey), text);
    }

    private JsonNode read(PartnerHttp.Answer r) {
        return GatewayHttp.read(json, name, r);
    }

    private static String text(JsonNode node, String field, String fallback) {
        return GatewayHttp.text(node, field, fallback);
    }
}
