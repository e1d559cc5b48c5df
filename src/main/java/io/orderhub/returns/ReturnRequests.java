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

    /** A replacement item an exchange names: {@code {sku, quantity}}. */
    public record ExchangeItem(String sku, int quantity) {
    }

    /** @param exchange the replacement goods of an EXCHANGE; empty: the returned units themselves */
    public record Request(List<RequestedLine> lines, Resolution resolution, List<ExchangeItem> exchange) {

        public Request(List<RequestedLine> lines, Resolution resolution) {
            this(lines, resolution, List.of());
        }
    }

    public record ReceivedLine(int lineNo, int quantity, Condition condition) {
    }

    public record Receipt(String warehouse, List<ReceivedLine> lines) {
    }

    /** {@code {lines: [{lineNo, quantity, reason}], resolution, exchange?: [{sku, quantity}]}}. */
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
        List<ExchangeItem> exchange = exchange(body, resolution, errors);
        fail(errors, "the return request");
        return new Request(List.copyOf(lines), resolution, exchange);
    }

    /** The optional {@code exchange} array: only with resolution EXCHANGE, each SKU once. */
    private static List<ExchangeItem> exchange(JsonNode body, Resolution resolution, List<FieldError> errors) {
        JsonNode array = body.path("exchange");
        if (array.isMissingNode() || array.isNull()) {
            return List.of();
        }
        if (resolution != null && resolution != Resolution.EXCHANGE) {
            errors.add(FieldError.of("/exchange", "names replacement goods, but the resolution is " + resolution
                    + "; give it only with EXCHANGE"));
            return List.of();
        }
        if (!array.isArray() || array.isEmpty()) {
            errors.add(FieldError.of("/exchange", array.isArray() ? "must name at least one item, or be left out"
                    : "must be an array of {sku, quantity}"));
            return List.of();
        }
        if (array.size() > MAX_LINES) {
            errors.add(FieldError.of("/exchange", "has " + array.size() + " entries; at most " + MAX_LINES));
            return List.of();
        }
        List<ExchangeItem> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            String at = "/exchange/" + i;
            if (!item.isObject()) {
                errors.add(FieldError.of(at, "must be an object {sku, quantity}"));
                continue;
            }
            JsonNode sku = item.path("sku");
            String value = null;
            if (!sku.isTextual() || sku.asText().isBlank()) {
                errors.add(FieldError.of(at + "/sku", sku.isMissingNode() || sku.isNull() ? "is required" : "must be a SKU"));
            } else if (sku.asText().length() > 100) {
                errors.add(FieldError.of(at + "/sku", "is longer than 100 characters"));
            } else if (!seen.add(sku.asText().strip())) {
                errors.add(FieldError.of(at + "/sku", "SKU " + sku.asText().strip() + " is named twice; give each SKU once"));
            } else {
                value = sku.asText().strip();
            }
            Integer quantity = positive(item, at + "/quantity", errors);
            if (value != null && quantity != null) {
                items.add(new ExchangeItem(value, quantity));
            }
        }
        return List.copyOf(items);
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
