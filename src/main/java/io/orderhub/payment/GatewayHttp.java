package io.orderhub.payment;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every gateway client does with HTTP the same way: a failed or interrupted call and a 429 or
 * 5xx answer mean "unavailable, retry with the same idempotency key"; any other refusal is final.
 */
final class GatewayHttp {

    private GatewayHttp() {
    }

    static HttpResponse<String> send(HttpClient http, String gateway, String path, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GatewayUnavailableException(gateway + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayUnavailableException(gateway + " " + path + " interrupted", e);
        }
    }

    /** The answer's JSON body (empty when there is none, or when an unavailable gateway sent something else). */
    static JsonNode read(ObjectMapper json, String gateway, HttpResponse<String> r) {
        try {
            return r.body() == null || r.body().isBlank() ? json.createObjectNode() : json.readTree(r.body());
        } catch (IOException e) {
            if (unavailable(r)) {
                return json.createObjectNode();
            }
            throw new GatewayUnavailableException(gateway + " answered " + r.statusCode() + " with a body that is not JSON", e);
        }
    }

    static RuntimeException refusal(HttpResponse<String> r, String message) {
        return unavailable(r) ? new GatewayUnavailableException(message, null)
                : new GatewayRejectedException(r.statusCode(), message);
    }

    static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? fallback : v.asText();
    }

    private static boolean unavailable(HttpResponse<String> r) {
        return r.statusCode() == 429 || r.statusCode() >= 500;
    }
}
