package io.orderhub.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

import io.orderhub.sandbox.SandboxPayments.Answer;

/** Stripe's error answers ({@code {"error": {type, code, message, param}}}) as the sandbox gateway gives them. */
final class StripeErrors {

    private StripeErrors() {
    }

    static Answer noSuch(String object, String id, String param) {
        return error(404, "invalid_request_error", "resource_missing", null, "No such " + object + ": '" + id + "'", param);
    }

    static Answer unauthorized() {
        return error(401, "invalid_request_error", null, null, "Invalid API Key provided: use a Bearer sk_test_ key", null);
    }

    static Answer error(int status, String type, String code, String declineCode, String message, String param) {
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
}
