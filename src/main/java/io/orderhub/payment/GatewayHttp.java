package io.orderhub.payment;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.PartnerHttp;

/**
 * What every gateway client does with HTTP the same way: a failed or timed-out call and a 429 or
 * 5xx answer mean "unavailable, retry with the same idempotency key"; any other refusal is final.
 */
final class GatewayHttp {

    private GatewayHttp() {
    }

    static PartnerHttp.Answer post(PartnerHttp http, String gateway, URI uri, String path, Duration timeout,
                                   Map<String, String> headers, String body) {
        try {
            return http.send("POST", uri, timeout, headers, body);
        } catch (IOException e) {
            throw new GatewayUnavailableException(gateway + " " + path + " failed: " + e, e);
        }
    }

    /** The answer's JSON body (empty when there is none, or when an unavailable gateway sent something else). */
    static JsonNode read(ObjectMapper json, String gateway, PartnerHttp.Answer r) {
        try {
            return r.body() == null || r.body().isBlank() ? json.createObjectNode() : json.readTree(r.body());
        } catch (IOException e) {
            if (unavailable(r)) {
                return json.createObjectNode();
            }
            throw new GatewayUnavailableException(gateway + " answered " + r.statusCode() + " with a body that is not JSON", e);
        }
    }

    static RuntimeException refusal(PartnerHttp.Answer r, String message) {
        return unavailable(r) ? new GatewayUnavailableException(message, null)
                : new GatewayRejectedException(r.statusCode(), message);
    }

    static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? fallback : v.asText();
    }

    private static boolean unavailable(PartnerHttp.Answer r) {
        return r.statusCode() == 429 || r.statusCode() >= 500;
    }
}
