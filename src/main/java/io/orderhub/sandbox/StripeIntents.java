package io.orderhub.sandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.orderhub.sandbox.SandboxPayments.Answer;
import org.springframework.util.MultiValueMap;

import static io.orderhub.sandbox.StripeErrors.error;
import static io.orderhub.sandbox.StripeErrors.noSuch;

/** The sandbox gateway's Stripe operations: PaymentIntents created, confirmed, canceled and refunded. */
final class StripeIntents {

    private final SandboxSupport sandbox;
    private final SandboxPayments state;
    private final Clock clock;

    StripeIntents(SandboxSupport sandbox, SandboxPayments state, Clock clock) {
        this.sandbox = sandbox;
        this.state = state;
        this.clock = clock;
    }

    /** POST /v1/payment_intents. */
    Answer create(MultiValueMap<String, String> form) {
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
        state.save(SandboxStripeController.STATE, id, intent);
        sandbox.store().store(SandboxStripeController.SYSTEM, "POST", "/v1/payment_intents/" + id, null, json(intent));
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
    Answer confirm(String id, MultiValueMap<String, String> form) {
        Answer answer = state.change(SandboxStripeController.STATE, id, intent -> {
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
            sandbox.store().store(SandboxStripeController.SYSTEM, "POST", "/v1/payment_intents/" + id + "/confirm", null, json(answer.body()));
            return declinedOr(answer.body());
        }
        return answer;
    }

    /** POST /v1/payment_intents/{id}/cancel: an intent not yet succeeded (nor canceled) is canceled. */
    Answer cancel(String id, MultiValueMap<String, String> form) {
        Answer answer = state.change(SandboxStripeController.STATE, id, intent -> {
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
            sandbox.store().store(SandboxStripeController.SYSTEM, "POST", "/v1/payment_intents/" + id + "/cancel", null, json(answer.body()));
        }
        return answer;
    }

    /** POST /v1/refunds: a succeeded intent refunded, in one or several parts up to its amount. */
    Answer refund(MultiValueMap<String, String> form) {
        String intentId = form.getFirst("payment_intent");
        Map<String, Object> intent = intentId == null ? null : state.find(SandboxStripeController.STATE, intentId).orElse(null);
        if (intent == null) {
            return error(400, "invalid_request_error", "resource_missing", null,
                    "No such payment_intent: '" + intentId + "'", "payment_intent");
        }
        if (!"succeeded".equals(intent.get("status"))) {
            return error(400, "invalid_request_error", "payment_intent_unexpected_state", null,
                    "This PaymentIntent has no successful charge to refund.", "payment_intent");
        }
        long total = ((Number) intent.get("amount")).longValue();
        long already = state.refunded(SandboxStripeController.STATE, intentId);
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
        if (!state.addRefund(SandboxStripeController.STATE, intentId, amount, total)) {
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
        state.save(SandboxStripeController.STATE, id, refund);
        sandbox.store().store(SandboxStripeController.SYSTEM, "POST", "/v1/refunds/" + id, null, json(refund));
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

    private String json(Object o) {
        try {
            return sandbox.json().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
