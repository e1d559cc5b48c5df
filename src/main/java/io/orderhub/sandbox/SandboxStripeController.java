package io.orderhub.sandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
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
        return intent == null || !"payment_intent".equals(intent.get("object")) ? answer(noSuch("payment_intent", id, "intent"))
                : ResponseEntity.ok(intent);
    }

    @PostMapping(path = "/stripe/v1/payment_intents/{id}/confirm", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Object> confirmIntent(@PathVariable String id, @RequestParam MultiValueMap<String, String> form,
                                                @RequestHeader(name = "Authorization", required = false) String auth,
                                                @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return idempotent("POST /v1/payment_intents/" + id + "/confirm", form, auth, key, () -> confirm(id, form));
    }

    @PostMapping(path = "/stripe/v1/payment_intents/{id}/cancel", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Object> cancelIntent(@PathVariable String id, @RequestParam MultiValueMap<String, String> form,
                                               @RequestHeader(name = "Authorization", required = false) String auth,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return idempotent("POST /v1/payment_intents/" + id + "/cancel", form, auth, key, () -> cancel(id, form));
    }

    /** GET /v1/payment_intents: newest first, {@code limit} (1 to 100, default 10) and {@code starting_after}. */
    @GetMapping("/stripe/v1/payment_intents")
    public ResponseEntity<Object> listIntents(@RequestParam MultiValueMap<String, String> query,
                                              @RequestHeader(name = "Authorization", required = false) String auth) {
        if (!authorized(auth)) {
            return answer(unauthorized());
        }
        int limit = 10;
        if (query.getFirst("limit") != null) {
            try {
                limit = Integer.parseInt(query.getFirst("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                return answer(error(400, "invalid_request_error", "parameter_invalid_integer", null,
                        "Invalid limit: must be an integer between 1 and 100", "limit"));
            }
        }
        List<Map<String, Object>> page = state.list(STATE, "pi_", query.getFirst("starting_after"), limit + 1);
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", page.size() > limit ? page.subList(0, limit) : page);
        list.put("has_more", page.size() > limit);
        list.put("url", "/v1/payment_intents");
        return ResponseEntity.ok(list);
    }

    @GetMapping("/stripe/v1/refunds/{id}")
    public ResponseEntity<Object> getRefund(@PathVariable String id,
                                            @RequestHeader(name = "Authorization", required = false) String auth) {
        if (!authorized(auth)) {
            return answer(unauthorized());
        }
        Map<String, Object> refund = state.find(STATE, id).filter(r -> "refund".equals(r.get("object"))).orElse(null);
        return refund == null ? answer(noSuch("refund", id, "id")) : ResponseEntity.ok(refund);
    }

    /**
     * Every other request under the emulated API (an endpoint the sandbox lacks, a method a path does not take): Stripe's
     * own answer, a 404 invalid_request_error, so an SDK reports it as Stripe would.
     */
    @RequestMapping("/stripe/**")
    public ResponseEntity<Object> unknown(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getRequestURI().indexOf("/stripe") + "/stripe".length());
        return answer(error(404, "invalid_request_error", null, null, "Unrecognized request URL (" + request.getMethod()
                + ": " + path + "). This sandbox emulates part of Stripe's API: see docs/payments.md for what it "
                + "answers.", null));
    }

    /** A request the sandbox cannot read (a form it cannot parse, a parameter of the wrong type): Stripe's 400. */
    @org.springframework.web.bind.annotation.ExceptionHandler(Exception.class)
    public ResponseEntity<Object> unreadable(Exception e, HttpServletRequest request) throws Exception {
        if (!request.getRequestURI().contains("/stripe/")) {
            throw e;
        }
        return answer(error(400, "invalid_request_error", null, null, "Invalid request: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), null));
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
        boolean confirm = "true".equalsIgnoreCase(form.getFirst("confirm"));
        if (!confirm) {
            intent.put("status", "requires_confirmation");
        } else {
            settle(intent, method);
        }
        state.save(STATE, id, intent);
        sandbox.store().store(SYSTEM, "POST", "/v1/payment_intents/" + id, null, json(intent));
        return declinedOr(intent);
    }

    /** A confirmed intent: succeeded, or declined by the test card ({@code last_payment_error}). */
    private static void settle(Map<String, Object> intent, String method) {
        String declineCode = switch (method) {
            case "pm_card_chargeDeclined" -> "generic_decline";
            case "pm_card_chargeDeclinedInsufficientFunds" -> "insufficient_funds";
            default -> null;
        };
        intent.put("payment_method", method);
        if (declineCode == null) {
            intent.put("status", "succeeded");
            intent.put("amount_received", intent.get("amount"));
            intent.put("latest_charge", "ch_" + ((String) intent.get("id")).substring(3));
            intent.remove("last_payment_error");
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
    }

    /** The intent (200), or Stripe's 402 card_error holding it when the card was declined. */
    private static Answer declinedOr(Map<String, Object> intent) {
        if (intent.get("last_payment_error") instanceof Map<?, ?> lastError) {
            Map<String, Object> err = new LinkedHashMap<>();
            lastError.forEach((k, v) -> err.put(String.valueOf(k), v));
            err.put("payment_intent", intent);
            return new Answer(402, Map.of("error", err));
        }
        return new Answer(200, intent);
    }

    private static final java.util.Set<String> CANCELABLE = java.util.Set.of("requires_payment_method",
            "requires_capture", "requires_confirmation", "requires_action", "processing");

    /** POST /v1/payment_intents/{id}/confirm: settles an intent that waits for confirmation or a new payment method. */
    private Answer confirm(String id, MultiValueMap<String, String> form) {
        Answer answer = state.change(STATE, id, intent -> {
            if (!"payment_intent".equals(intent.get("object"))) {
                return noSuch("payment_intent", id, "intent");
            }
            String status = (String) intent.get("status");
            if (!"requires_confirmation".equals(status) && !"requires_payment_method".equals(status)) {
                return error(400, "invalid_request_error", "payment_intent_unexpected_state", null,
                        "You cannot confirm this PaymentIntent because it has a status of " + status + ".", null);
            }
            String method = form.getFirst("payment_method") != null ? form.getFirst("payment_method")
                    : (String) intent.get("payment_method");
            if (method == null || !method.startsWith("pm_")) {
                return error(400, "invalid_request_error", "resource_missing", null,
                        "No such PaymentMethod: '" + method + "'", "payment_method");
            }
            Map<String, Object> changed = new LinkedHashMap<>(intent);
            settle(changed, method);
            return new Answer(200, changed);
        });
        if (answer == null) {
            return noSuch("payment_intent", id, "intent");
        }
        if (answer.status() == 200) {
            sandbox.store().store(SYSTEM, "POST", "/v1/payment_intents/" + id + "/confirm", null, json(answer.body()));
            return declinedOr(answer.body());
        }
        return answer;
    }

    /** POST /v1/payment_intents/{id}/cancel: an intent not yet succeeded (nor canceled) is canceled. */
    private Answer cancel(String id, MultiValueMap<String, String> form) {
        Answer answer = state.change(STATE, id, intent -> {
            if (!"payment_intent".equals(intent.get("object"))) {
                return noSuch("payment_intent", id, "intent");
            }
            String status = (String) intent.get("status");
            if (!CANCELABLE.contains(status)) {
                return error(400, "invalid_request_error", "payment_intent_unexpected_state", null,
                        "You cannot cancel this PaymentIntent because it has a status of " + status + ". Only a "
                                + "PaymentIntent with one of the following statuses may be canceled: "
                                + "requires_payment_method, requires_capture, requires_confirmation, requires_action, "
                                + "processing.", null);
            }
            Map<String, Object> changed = new LinkedHashMap<>(intent);
            changed.put("status", "canceled");
            changed.put("canceled_at", clock.instant().getEpochSecond());
            changed.put("cancellation_reason", form.getFirst("cancellation_reason"));
            return new Answer(200, changed);
        });
        if (answer == null) {
            return noSuch("payment_intent", id, "intent");
        }
        if (answer.status() == 200) {
            sandbox.store().store(SYSTEM, "POST", "/v1/payment_intents/" + id + "/cancel", null, json(answer.body()));
        }
        return answer;
    }

    private static Answer noSuch(String object, String id, String param) {
        return error(404, "invalid_request_error", "resource_missing", null, "No such " + object + ": '" + id + "'", param);
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
