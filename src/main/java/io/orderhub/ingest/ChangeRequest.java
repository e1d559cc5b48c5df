package io.orderhub.ingest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.channel.Channel;
import io.orderhub.common.FieldError;
import io.orderhub.format.MappedOrder;
import io.orderhub.order.HeaderChange;
import io.orderhub.order.LineChange;

/**
 * A change document read (X12 860, EDIFACT ORDCHG): the order it names, its line changes, its order-level
 * restatement (allowances and charges, tax, the stated total: {@link HeaderChange}), or the problems with it.
 * Each line change has a {@code lineNo}, a {@code change} (ADD, CHANGE or DELETE) and the values it sets. The changed
 * order is checked as a submission would be (schema, business rules, intake checks) before it replaces the stored one
 * ({@link OrderChecks#changedOrderProblems}).
 */
record ChangeRequest(String externalId, List<LineChange> changes, HeaderChange header, List<FieldError> errors) {

    static ChangeRequest of(MappedOrder mapped, Channel channel) {
        List<FieldError> errors = new ArrayList<>(mapped.errors());
        JsonNode document = mapped.order();
        JsonNode externalId = document.path("externalId");
        if (!externalId.isTextual() || externalId.asText().isBlank()) {
            errors.add(FieldError.of("/externalId", "is required: a change document must name the order it changes"));
        }
        JsonNode named = document.path("channel");
        if (channel != null && named.isTextual() && !named.asText().equals(channel.id())) {
            errors.add(FieldError.of("/channel", "names channel '" + named.asText() + "' but the document came from '"
                    + channel.id() + "'"));
        }
        List<LineChange> changes = new ArrayList<>();
        JsonNode lines = document.path("lines");
        if (!lines.isArray() || lines.isEmpty()) {
            errors.add(FieldError.of("/lines", "must list the lines to add, change or delete"));
        } else {
            for (int i = 0; i < lines.size(); i++) {
                LineChange c = lineChange(lines.get(i), "/lines/" + i, errors);
                if (c != null) {
                    changes.add(c);
                }
            }
        }
        HeaderChange header = HeaderChange.read(document, errors);
        return new ChangeRequest(externalId.asText(), changes, header, errors);
    }

    private static LineChange lineChange(JsonNode line, String at, List<FieldError> errors) {
        int before = errors.size();
        JsonNode no = line.path("lineNo");
        if (!no.canConvertToInt() || !no.isIntegralNumber() || no.asInt() < 1) {
            errors.add(FieldError.of(at + "/lineNo", "is required: the number of the line to add, change or delete"));
        }
        LineChange.Action action = null;
        try {
            action = LineChange.Action.valueOf(line.path("change").asText());
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of(at + "/change", "is '" + line.path("change").asText() + "'; expected ADD, CHANGE or DELETE"));
        }
        BigDecimal quantity = decimal(line, "quantity", at, errors);
        if (quantity != null && quantity.signum() <= 0) {
            errors.add(FieldError.of(at + "/quantity", "must be greater than 0; delete the line to remove it"));
        }
        BigDecimal price = decimal(line, "unitPrice", at, errors);
        if (price != null && price.signum() < 0) {
            errors.add(FieldError.of(at + "/unitPrice", "must not be negative"));
        }
        if (action == LineChange.Action.ADD) {
            for (String field : List.of("sku", "quantity", "unitPrice")) {
                if (!line.hasNonNull(field)) {
                    errors.add(FieldError.of(at + "/" + field, "is required for a line to add"));
                }
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new LineChange(action, no.asInt(), text(line, "sku"), text(line, "description"), quantity,
                text(line, "uom"), price, text(line, "buyerSku"));
    }

    private static BigDecimal decimal(JsonNode line, String field, String at, List<FieldError> errors) {
        JsonNode v = line.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            errors.add(FieldError.of(at + "/" + field, "must be a number"));
            return null;
        }
        return v.decimalValue();
    }

    private static String text(JsonNode line, String field) {
        JsonNode v = line.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
