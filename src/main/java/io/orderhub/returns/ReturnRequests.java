package io.orderhub.returns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.returns.ReturnLifecycle.Condition;
import io.orderhub.returns.ReturnLifecycle.Resolution;

/**
 * Reads the JSON bodies of the returns API into requests, collecting every problem with its JSON pointer (422),
 * or 400 for a body that is not an object.
 */
public final class ReturnRequests {

    public static final int MAX_LINES = 1000;

    private ReturnRequests() {
    }

    public record RequestedLine(int lineNo, int quantity, String reason) {
    }

    public record Request(List<RequestedLine> lines, Resolution resolution) {
    }

    public record ReceivedLine(int lineNo, int quantity, Condition condition) {
    }

    public record Receipt(String warehouse, List<ReceivedLine> lines) {
    }

    /** {@code {lines: [{lineNo, quantity, reason}], resolution}}. */
    public static Request request(JsonNode body) {
        requireObject(body);
        List<FieldError> errors = new ArrayList<>();
        Resolution resolution = enumValue(body, "/resolution", Resolution.class, errors);
        List<RequestedLine> lines = new ArrayList<>();
        JsonNode array = linesOf(body, errors);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            JsonNode l = array.get(i);
            String at = "/lines/" + i;
            if (!l.isObject()) {
                errors.add(FieldError.of(at, "must be an object {lineNo, quantity, reason}"));
                continue;
            }
            Integer lineNo = positive(l, at + "/lineNo", errors);
            Integer quantity = positive(l, at + "/quantity", errors);
            String reason = null;
            JsonNode r = l.path("reason");
            if (!r.isMissingNode() && !r.isNull()) {
                if (!r.isTextual()) {
                    errors.add(FieldError.of(at + "/reason", "must be a string"));
                } else if (r.asText().length() > 500) {
                    errors.add(FieldError.of(at + "/reason", "is longer than 500 characters"));
                } else {
                    reason = r.asText().strip();
                }
            }
            if (lineNo != null && !seen.add(lineNo)) {
                errors.add(FieldError.of(at + "/lineNo", "line " + lineNo + " is named twice; give each line once"));
            }
            if (lineNo != null && quantity != null) {
                lines.add(new RequestedLine(lineNo, quantity, reason));
            }
        }
        fail(errors, "the return request");
        return new Request(List.copyOf(lines), resolution);
    }

    /** {@code {warehouse, lines: [{lineNo, quantity, condition}]}}. */
    public static Receipt receipt(JsonNode body) {
        requireObject(body);
        List<FieldError> errors = new ArrayList<>();
        String warehouse = null;
        JsonNode w = body.path("warehouse");
        if (!w.isTextual() || w.asText().isBlank()) {
            errors.add(FieldError.of("/warehouse", w.isMissingNode() || w.isNull() ? "is required" : "must be a warehouse id"));
        } else if (w.asText().length() > 64) {
            errors.add(FieldError.of("/warehouse", "is longer than 64 characters"));
        } else {
            warehouse = w.asText().strip();
        }
        List<ReceivedLine> lines = new ArrayList<>();
        JsonNode array = linesOf(body, errors);
        for (int i = 0; array != null && i < array.size(); i++) {
            JsonNode l = array.get(i);
            String at = "/lines/" + i;
            if (!l.isObject()) {
                errors.add(FieldError.of(at, "must be an object {lineNo, quantity, condition}"));
                continue;
            }
            Integer lineNo = positive(l, at + "/lineNo", errors);
            Integer quantity = positive(l, at + "/quantity", errors);
            Condition condition = enumValue(l, at + "/condition", Condition.class, errors);
            if (lineNo != null && quantity != null && condition != null) {
                lines.add(new ReceivedLine(lineNo, quantity, condition));
            }
        }
        fail(errors, "the return receipt");
        return new Receipt(warehouse, List.copyOf(lines));
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object");
        }
    }

    private static JsonNode linesOf(JsonNode body, List<FieldError> errors) {
        JsonNode array = body.path("lines");
        if (!array.isArray() || array.isEmpty()) {
            errors.add(FieldError.of("/lines", array.isMissingNode() || array.isNull() ? "is required"
                    : array.isArray() ? "must name at least one line" : "must be an array"));
            return null;
        }
        if (array.size() > MAX_LINES) {
            errors.add(FieldError.of("/lines", "has " + array.size() + " entries; at most " + MAX_LINES));
            return null;
        }
        return array;
    }

    private static Integer positive(JsonNode node, String pointer, List<FieldError> errors) {
        JsonNode v = node.path(pointer.substring(pointer.lastIndexOf('/') + 1));
        if (v.isMissingNode() || v.isNull()) {
            errors.add(FieldError.of(pointer, "is required"));
            return null;
        }
        if (!v.isNumber() || v.decimalValue().stripTrailingZeros().scale() > 0) {
            errors.add(FieldError.of(pointer, "must be a whole number, not " + FieldError.cut(v.toString(), 40)));
            return null;
        }
        if (v.decimalValue().signum() <= 0) {
            errors.add(FieldError.of(pointer, "must be greater than 0"));
            return null;
        }
        if (v.decimalValue().compareTo(java.math.BigDecimal.valueOf(1_000_000)) > 0) {
            errors.add(FieldError.of(pointer, "is larger than 1000000"));
            return null;
        }
        return v.decimalValue().intValueExact();
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String pointer, Class<E> type, List<FieldError> errors) {
        JsonNode v = node.path(pointer.substring(pointer.lastIndexOf('/') + 1));
        List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        if (v.isMissingNode() || v.isNull()) {
            errors.add(FieldError.of(pointer, "is required; one of " + allowed));
            return null;
        }
        String text = v.isTextual() ? v.asText().strip().toUpperCase(Locale.ROOT) : "";
        if (!allowed.contains(text)) {
            errors.add(FieldError.of(pointer, "must be one of " + allowed + ", not " + v));
            return null;
        }
        return Enum.valueOf(type, text);
    }

    private static void fail(List<FieldError> errors, String what) {
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, what + " has " + errors.size() + " problem(s)", errors);
        }
    }
}
