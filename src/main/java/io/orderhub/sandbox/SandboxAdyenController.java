package io.orderhub.sandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.sandbox.SandboxPayments.Answer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox Adyen gateway: the subset of the Checkout API (v71) the hub uses, answering in Adyen's
 * format. {@code POST /v71/payments} with {@code paymentMethod.storedPaymentMethodId} (or
 * {@code paymentMethod.type}) one of the Stripe sandbox's test tokens: {@code pm_card_visa} (and other
 * {@code pm_card_*} tokens) are Authorised, {@code pm_card_chargeDeclined} is Refused "Refused"
 * (refusalReasonCode 2), {@code pm_card_chargeDeclinedInsufficientFunds} Refused "Not enough balance"
 * (12). {@code POST /v71/payments/{pspReference}/refunds} answers 201 {@code status: received} for an
 * Authorised payment, once in full. Idempotency-Key: the same key with the same body gets the first
 * answer again; with another body a 422 validation error. Any non-blank {@code X-API-Key} is accepted
 * (401 without one). Payments and refunds are listed with the Stripe sandbox's at
 * {@code GET /sandbox/payment/received} (paths {@code /v71/payments/<psp>} and
 * {@code /v71/payments/<psp>/refunds/<psp>}). State is kept in the database ({@link SandboxPayments}), so
 * the sandboxes of several hub instances are one gateway.
 */
@RestController
@RequestMapping("/sandbox/payment/adyen")
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxAdyenController {

    /** Adyen's objects in {@link SandboxPayments}. */
    static final String STATE = "adyen";

    private final SandboxSupport sandbox;
    private final SandboxPayments state;
    private final Clock clock;

    public SandboxAdyenController(SandboxSupport sandbox, SandboxPayments state, Clock clock) {
        this.sandbox = sandbox;
        this.state = state;
        this.clock = clock;
    }

    @PostMapping(path = "/v71/payments", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> payments(@RequestBody(required = false) String body,
                                           @RequestHeader(name = "X-API-Key", required = false) String apiKey,
                                           @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return idempotent("POST /v71/payments", body, apiKey, key, this::newPayment);
    }

    @PostMapping(path = "/v71/payments/{pspReference}/refunds", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> refunds(@PathVariable String pspReference, @RequestBody(required = false) String body,
                                          @RequestHeader(name = "X-API-Key", required = false) String apiKey,
                                          @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return idempotent("POST /v71/payments/" + pspReference + "/refunds", body, apiKey, key,
                request -> newRefund(pspReference, request));
    }

    private ResponseEntity<Object> idempotent(String operation, String body, String apiKey, String key,
                                                           java.util.function.Function<ObjectNode, Answer> create) {
        if (apiKey == null || apiKey.isBlank()) {
            return answer(error(401, "000", "HTTP Status Response - Unauthorized", "security"));
        }
        ObjectNode request = sandbox.object(body);
        if (request == null) {
            return answer(error(400, "702", "Structure of the request body is not valid JSON", "validation"));
        }
        // the body as a canonical tree: the same fields in another order are the same request
        String fingerprint = operation + " " + canonical(request);
        SandboxPayments.Outcome outcome = state.idempotent(STATE, key, fingerprint, () -> create.apply(request));
        if (!outcome.replayed()) {
            return answer(outcome.answer());
        }
        if (!outcome.firstFingerprint().equals(fingerprint)) {
            return answer(error(422, "704", "request already processed or in progress: the Idempotency-Key '"
                    + key + "' was used with a different request", "validation"));
        }
        return ResponseEntity.status(outcome.answer().status()).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotent-Replayed", "true").body(outcome.answer().body());
    }

    private Answer newPayment(ObjectNode request) {
        String merchantAccount = request.path("merchantAccount").asText("");
        if (merchantAccount.isBlank()) {
            return error(422, "901", "Invalid Merchant Account", "validation");
        }
        JsonNode amount = request.path("amount");
        if (!amount.path("value").canConvertToLong() || amount.path("value").asLong() < 1) {
            return error(422, "137", "Invalid amount specified: amount.value must be a positive integer in minor units",
                    "validation");
        }
        String currency = amount.path("currency").asText("");
        if (!currency.matches("[A-Z]{3}")) {
            return error(422, "138", "No amount specified: amount.currency must be an ISO 4217 code", "validation");
        }
        String reference = request.path("reference").asText("");
        if (reference.isBlank()) {
            return error(422, "130", "Required field 'reference' is not provided.", "validation");
        }
        JsonNode method = request.path("paymentMethod");
        String token = method.path("storedPaymentMethodId").asText(method.path("type").asText(""));
        if (!token.startsWith("pm_")) {
            return error(422, "800", "Contract not found: no stored payment method '" + token + "'", "validation");
        }
        String psp = pspReference();
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("pspReference", psp);
        payment.put("merchantReference", reference);
        payment.put("amount", Map.of("value", amount.path("value").asLong(), "currency", currency));
        payment.put("merchantAccount", merchantAccount);
        switch (token) {
            case "pm_card_chargeDeclined" -> refused(payment, "Refused", "2");
            case "pm_card_chargeDeclinedInsufficientFunds" -> refused(payment, "Not enough balance", "12");
            default -> payment.put("resultCode", "Authorised");
        }
        payment.put("createdAt", clock.instant().toString());
        state.save(STATE, psp, payment);
        sandbox.store().store(SandboxStripeController.SYSTEM, "POST", "/v71/payments/" + psp, null, json(payment));
        Map<String, Object> answer = new LinkedHashMap<>(payment);
        answer.remove("createdAt");
        answer.remove("merchantAccount");
        return new Answer(200, answer);
    }

    private static void refused(Map<String, Object> payment, String reason, String code) {
        payment.put("resultCode", "Refused");
        payment.put("refusalReason", reason);
        payment.put("refusalReasonCode", code);
    }

    private Answer newRefund(String paymentPsp, ObjectNode request) {
        Map<String, Object> payment = state.find(STATE, paymentPsp).orElse(null);
        if (payment == null) {
            return error(422, "167", "Original pspReference required for this operation: no payment " + paymentPsp,
                    "validation");
        }
        if (!"Authorised".equals(payment.get("resultCode"))) {
            return error(422, "167", "Payment " + paymentPsp + " was not authorised and cannot be refunded", "validation");
        }
        String merchantAccount = request.path("merchantAccount").asText("");
        if (!merchantAccount.equals(payment.get("merchantAccount"))) {
            return error(422, "901", "Invalid Merchant Account", "validation");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> paid = (Map<String, Object>) payment.get("amount");
        long total = ((Number) paid.get("value")).longValue();
        long already = state.refunded(STATE, paymentPsp);
        JsonNode amount = request.path("amount");
        if (!amount.path("value").canConvertToLong() || !paid.get("currency").equals(amount.path("currency").asText())) {
            return error(422, "137", "Invalid amount specified: value in minor units and the payment's currency "
                    + paid.get("currency") + " are required", "validation");
        }
        long value = amount.path("value").asLong();
        if (value < 1 || value > total - already) {
            return error(422, "137", "Invalid amount specified: " + value + " is more than the unrefunded "
                    + (total - already), "validation");
        }
        if (!state.addRefund(STATE, paymentPsp, value, total)) {
            return error(422, "137", "Invalid amount specified: " + value + " is more than the unrefunded amount",
                    "validation");
        }
        String psp = pspReference();
        Map<String, Object> refund = new LinkedHashMap<>();
        refund.put("merchantAccount", merchantAccount);
        refund.put("paymentPspReference", paymentPsp);
        refund.put("pspReference", psp);
        refund.put("reference", request.path("reference").asText(null));
        refund.put("status", "received");
        refund.put("amount", Map.of("value", value, "currency", paid.get("currency")));
        Map<String, Object> stored = new LinkedHashMap<>(refund);
        stored.put("merchantReference", payment.get("merchantReference"));
        sandbox.store().store(SandboxStripeController.SYSTEM, "POST", "/v71/payments/" + paymentPsp + "/refunds/" + psp, null,
                json(stored));
        state.save(STATE, psp, refund);
        return new Answer(201, refund);
    }

    /** Adyen's pspReferences are 16 characters. */
    private static String pspReference() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    }

    private String canonical(JsonNode node) {
        try {
            Object tree = sandbox.json().treeToValue(node, Object.class);
            return sandbox.json().copy().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS,
                    true).writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer error(int status, String errorCode, String message, String errorType) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("status", status);
        e.put("errorCode", errorCode);
        e.put("message", message);
        e.put("errorType", errorType);
        return new Answer(status, e);
    }

    private ResponseEntity<Object> answer(Answer a) {
        return ResponseEntity.status(a.status()).contentType(MediaType.APPLICATION_JSON).body(a.body());
    }

    private String json(Object o) {
        try {
            return sandbox.json().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
