package io.orderhub.sandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.orderhub.sandbox.SandboxPayments.Answer;
import io.orderhub.security.ApiKeyAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox payment gateway: the subset of Stripe's API the hub uses, answering in Stripe's
 * format. {@code POST /v1/payment_intents} (form-encoded, {@code confirm=true}): {@code pm_card_visa}
 * (and other {@code pm_card_*} test tokens) succeed, {@code pm_card_chargeDeclined} declines with
 * {@code generic_decline}, {@code pm_card_chargeDeclinedInsufficientFunds} with
 * {@code insufficient_funds} (402 card_error, like Stripe). {@code POST /v1/refunds} refunds a
 * succeeded intent, in one or several parts up to its amount. Idempotency-Key as Stripe: the same key with the same parameters
 * gets the first answer again; the same key with other parameters is a 400 idempotency_error. Any
 * {@code sk_test_} Bearer key is accepted. New intents and refunds are listed at
 * {@code GET /sandbox/payment/received} (OPS/ADMIN key). State is kept in the database
 * ({@link SandboxPayments}), so the sandboxes of several hub instances are one gateway.
 */
@RestController
@RequestMapping("/sandbox/payment")
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxStripeController {

    static final String SYSTEM = "payment";

    /** Stripe's objects in {@link SandboxPayments}. */
    static final String STATE = "stripe";

    private final SandboxSupport sandbox;
    private final SandboxPayments state;
    private final Clock clock;

    public SandboxStripeController(SandboxSupport sandbox, SandboxPayments state, Clock clock) {
        this.sandbox = sandbox;
        this.state = state;
        this.clock = clock;
    }

    @PostMapping(path = "/stripe/v1/payment_intents", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Object> createIntent(@RequestParam MultiValueMap<String, String> form,
                                               @RequestHeader(name = "Authorization", required = false) String auth,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return idempotent("POST /v1/payment_intents", form, auth, key, () -> newIntent(form));
    }

    @PostMapping(path = "/stripe/v1/refunds", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Object> createRefund(@RequestParam MultiValueMap<String, String> form,
                                               @RequestHeader(name = "Authorization", required = false) String auth,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return idempotent("POST /v1/refunds", form, auth, key, () -> newRefund(form));
    }

    @GetMapping("/stripe/v1/payment_intents/{id}")
    public ResponseEntity<Object> getIntent(@PathVariable String id,
                                            @RequestHeader(name = "Authorization", required = false) String auth) {
        if (!authorized(auth)) {
            return answer(unauthorized());
        }
        Map<String, Object> intent = state.find(STATE, id).orElse(null);
        return intent == null ? answer(error(404, "invalid_request_error", "resource_missing", null,
                "No such payment_intent: '" + id + "'", "intent")) : ResponseEntity.ok(intent);
    }

    /** What the sandbox gateway created: one entry per PaymentIntent and per refund (OPS or ADMIN key). */
    @GetMapping("/received")
    public ResponseEntity<Object> received(@RequestHeader(name = ApiKeyAuthenticator.HEADER, required = false) String apiKey,
                                           @RequestParam(required = false) String contains,
                                           @RequestParam(required = false) Integer limit, HttpServletRequest request) {
        return sandbox.received(SYSTEM, apiKey, contains, limit, request.getRequestURI());
    }

    private ResponseEntity<Object> idempotent(String operation, MultiValueMap<String, String> form, String auth,
                                              String key, java.util.function.Supplier<Answer> create) {
        if (!authorized(auth)) {
            return answer(unauthorized());
        }
        String fingerprint = operation + " " + new TreeMap<>(form);
        SandboxPayments.Outcome outcome = state.idempotent(STATE, key, fingerprint, create);
        if (!outcome.replayed()) {
            return answer(outcome.answer());
        }
        if (!outcome.firstFingerprint().equals(fingerprint)) {
            return answer(error(400, "idempotency_error", null, null, "Keys for idempotent requests can only be used"
                    + " with the same parameters they were first used with. Try using a key other than '" + key
                    + "' if you meant to execute a different request.", null));
        }
        return ResponseEntity.status(outcome.answer().status()).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotent-Replayed", "true").body(outcome.answer().body());
    }

    private Answer newIntent(MultiValueMap<String, String> form) {
        String amountText = form.getFirst("amount");
        String currency = form.getFirst("currency");
        String method = form.getFirst("payment_method");
        if (amountText == null) {
            return error(400, "invalid_request_error", "parameter_missing", null, "Missing required param: amount.", "amount");
        }
        long amount;
        try {
            amount = Long.parseLong(amountText);
        } catch (NumberFormatException e) {
            return error(400, "invalid_request_error", "parameter_invalid_integer", null, "Invalid integer: " + amountText, "amount");
        }
        if (amount < 1) {
            return error(400, "invalid_request_error", "amount_too_small", null, "Amount must be at least 1.", "amount");
        }
        if (currency == null || !currency.matches("[a-z]{3}")) {
            return error(400, "invalid_request_error", "parameter_missing", null, "Missing required param: currency.", "currency");
        }
        if (method == null || !method.startsWith("pm_")) {
            return error(400, "invalid_request_error", "resource_missing", null,
                    "No such PaymentMethod: '" + method + "'", "payment_method");
        }
        String id = "pi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        Map<String, Object> intent = new LinkedHashMap<>();
        intent.put("id", id);
        intent.put("object", "payment_intent");
        intent.put("amount", amount);
        intent.put("amount_received", 0);
        intent.put("currency", currency);
        intent.put("created", clock.instant().getEpochSecond());
        intent.put("description", form.getFirst("description"));
        intent.put("metadata", metadata(form));
        intent.put("payment_method", method);
        intent.put("livemode", false);
        String declineCode = switch (method) {
            case "pm_card_chargeDeclined" -> "generic_decline";
            case "pm_card_chargeDeclinedInsufficientFunds" -> "insufficient_funds";
            default -> null;
        };
        boolean confirm = "true".equalsIgnoreCase(form.getFirst("confirm"));
        if (!confirm) {
            intent.put("status", "requires_confirmation");
        } else if (declineCode == null) {
            intent.put("status", "succeeded");
            intent.put("amount_received", amount);
            intent.put("latest_charge", "ch_" + id.substring(3));
        } else {
            intent.put("status", "requires_payment_method");
            Map<String, Object> lastError = new LinkedHashMap<>();
            lastError.put("type", "card_error");
            lastError.put("code", "card_declined");
            lastError.put("decline_code", declineCode);
            lastError.put("message", declineCode.equals("insufficient_funds") ? "Your card has insufficient funds."
                    : "Your card was declined.");
            intent.put("last_payment_error", lastError);
        }
        state.save(STATE, id, intent);
        sandbox.store().store(SYSTEM, "POST", "/v1/payment_intents/" + id, null, json(intent));
        if (declineCode != null && confirm) {
            @SuppressWarnings("unchecked")
            Map<String, Object> lastError = (Map<String, Object>) intent.get("last_payment_error");
            Map<String, Object> err = new LinkedHashMap<>(lastError);
            err.put("payment_intent", intent);
            return new Answer(402, Map.of("error", err));
        }
        return new Answer(200, intent);
    }

    private Answer newRefund(MultiValueMap<String, String> form) {
        String intentId = form.getFirst("payment_intent");
        Map<String, Object> intent = intentId == null ? null : state.find(STATE, intentId).orElse(null);
        if (intent == null) {
            return error(400, "invalid_request_error", "resource_missing", null,
                    "No such payment_intent: '" + intentId + "'", "payment_intent");
        }
        if (!"succeeded".equals(intent.get("status"))) {
            return error(400, "invalid_request_error", "payment_intent_unexpected_state", null,
                    "This PaymentIntent has no successful charge to refund.", "payment_intent");
        }
        long total = ((Number) intent.get("amount")).longValue();
        long already = state.refunded(STATE, intentId);
        long amount;
        try {
            amount = form.getFirst("amount") == null ? total - already : Long.parseLong(form.getFirst("amount"));
        } catch (NumberFormatException e) {
            return error(400, "invalid_request_error", "parameter_invalid_integer", null, "Invalid integer", "amount");
        }
        if (already >= total) {
            return error(400, "invalid_request_error", "charge_already_refunded", null,
                    "Charge " + intent.get("latest_charge") + " has already been refunded.", null);
        }
        if (amount < 1 || amount > total - already) {
            return error(400, "invalid_request_error", "amount_too_large", null, "Refund amount ("
                    + amount + ") is greater than unrefunded amount on charge (" + (total - already) + ")", "amount");
        }
        if (!state.addRefund(STATE, intentId, amount, total)) {
            return error(400, "invalid_request_error", "amount_too_large", null, "Refund amount (" + amount
                    + ") is greater than unrefunded amount on charge", "amount");
        }
        String id = "re_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        Map<String, Object> refund = new LinkedHashMap<>();
        refund.put("id", id);
        refund.put("object", "refund");
        refund.put("amount", amount);
        refund.put("currency", intent.get("currency"));
        refund.put("payment_intent", intentId);
        refund.put("charge", intent.get("latest_charge"));
        refund.put("reason", form.getFirst("reason"));
        refund.put("metadata", metadata(form));
        refund.put("status", "succeeded");
        refund.put("created", clock.instant().getEpochSecond());
        state.save(STATE, id, refund);
        sandbox.store().store(SYSTEM, "POST", "/v1/refunds/" + id, null, json(refund));
        return new Answer(200, refund);
    }

    private static Map<String, Object> metadata(MultiValueMap<String, String> form) {
        Map<String, Object> m = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.startsWith("metadata[") && k.endsWith("]") && !v.isEmpty()) {
                m.put(k.substring(9, k.length() - 1), v.get(0));
            }
        });
        return m;
    }

    private static boolean authorized(String auth) {
        return auth != null && auth.toLowerCase(Locale.ROOT).startsWith("bearer sk_test_");
    }

    private static Answer unauthorized() {
        return error(401, "invalid_request_error", null, null, "Invalid API Key provided: use a Bearer sk_test_ key", null);
    }

    private static Answer error(int status, String type, String code, String declineCode, String message, String param) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        if (code != null) {
            e.put("code", code);
        }
        if (declineCode != null) {
            e.put("decline_code", declineCode);
        }
        e.put("message", message);
        if (param != null) {
            e.put("param", param);
        }
        return new Answer(status, Map.of("error", e));
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
