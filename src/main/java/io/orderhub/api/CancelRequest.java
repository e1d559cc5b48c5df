package io.orderhub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;

/** The optional body of a cancel request: {@code {"reason": "..."}}. */
final class CancelRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CancelRequest() {
    }

    static String reason(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object such as {\"reason\": \"...\"}");
            }
            JsonNode reason = node.path("reason");
            if (!reason.isMissingNode() && !reason.isTextual()) {
                throw OrderHubException.field(Problem.INVALID, "/reason", "must be a string");
            }
            String text = reason.isTextual() ? reason.asText() : null;
            if (text != null && text.length() > 500) {
                throw OrderHubException.field(Problem.INVALID, "/reason", "is longer than 500 characters");
            }
            return text;
        } catch (java.io.IOException e) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "is not valid JSON");
        }
    }
}
