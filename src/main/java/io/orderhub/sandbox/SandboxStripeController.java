package io.orderhub.sandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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

import static io.orderhub.sandbox.StripeErrors.error;
import static io.orderhub.sandbox.StripeErrors.noSuch;
import static io.orderhub.sandbox.StripeErrors.unauthorized;

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
    private final StripeIntents intents;

    public SandboxStripeController(SandboxSupport sandbox, SandboxPayments state, Clock clock) {
        this.sandbox = sandbox;
        this.state = state;
        this.intents = new StripeIntents(sandbox, state, clock);
    }

    @PostMapping(path = "/stripe/v1/payment_intents", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Object> createIntent(@RequestParam MultiValueMap<String, String> form,
                                               @RequestHeader(name = "Authorization", required = false) String auth,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return idempotent("POST /v1/payment_intents", form, auth, key, () -> intents.create(form));
    }

    @PostMapping(path = "/stripe/v1/refunds", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Object> createRefund(@RequestParam MultiValueMap<String, String> form,
                                               @RequestHeader(name = "Authorization", required = false) String auth,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return idempotent("POST /v1/refunds", form, auth, key, () -> intents.refund(form));
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
        return idempotent("POST /v1/payment_intents/" + id + "/confirm", form, auth, key, () -> intents.confirm(id, form));
    }

    @PostMapping(path = "/stripe/v1/payment_intents/{id}/cancel", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Object> cancelIntent(@PathVariable String id, @RequestParam MultiValueMap<String, String> form,
                                               @RequestHeader(name = "Authorization", required = false) String auth,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return idempotent("POST /v1/payment_intents/" + id + "/cancel", form, auth, key, () -> intents.cancel(id, form));
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

    private static boolean authorized(String auth) {
        return auth != null && auth.toLowerCase(Locale.ROOT).startsWith("bearer sk_test_");
    }

    private ResponseEntity<Object> answer(Answer a) {
        return ResponseEntity.status(a.status()).contentType(MediaType.APPLICATION_JSON).body(a.body());
    }
}
