package io.orderhub.order;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;

/**
 * The order-level part of a change document (X12 860 header SAC/TXI/AMT, EDIFACT ORDCHG header ALC, MOA+124,
 * MOA+86/128): what it restates besides the lines. {@link LineChange#apply(CanonicalOrder, List, HeaderChange)}
 * applies it to the changed order.
 *
 * <ul>
 *   <li>{@code discounts} / {@code charges}: when given (even empty), the order's allowances (charges) as the
 *       document restates them, replacing the stored ones; totals.discount (shipping) is then their sum. An
 *       allowance or charge given only as a percentage is computed on the changed order's subtotal. Null: the stored
 *       ones stay (a percentage one computed again on the new subtotal).</li>
 *   <li>{@code tax}: the order's tax as restated; null: the stored tax stays.</li>
 *   <li>{@code grandTotal}: the document's own total, never taken as is: the changed order's grand total must be
 *       it (within a cent), else the change is refused naming {@code grandTotalAt}, the document's place.</li>
 * </ul>
 */
public record HeaderChange(List<CanonicalOrder.Adjustment> discounts, List<CanonicalOrder.Adjustment> charges,
                           BigDecimal tax, BigDecimal grandTotal, String grandTotalAt) {

    /** A change of lines only. */
    public static final HeaderChange NONE = new HeaderChange(null, null, null, null, null);

    public boolean isNone() {
        return discounts == null && charges == null && tax == null && grandTotal == null;
    }

    /**
     * Reads the order-level fields of a mapped change document: {@code discounts} and {@code charges} (arrays of
     * {amount?, percent?, reason?, description?}: an amount or a percentage), {@code totals.tax},
     * {@code totals.grandTotal}, and {@code provenance["/totals/grandTotal"]} (where the document states its total).
     * Problems are added to {@code errors} with their JSON pointer.
     */
    public static HeaderChange read(JsonNode document, List<FieldError> errors) {
        List<CanonicalOrder.Adjustment> discounts = adjustments(document.path("discounts"), "/discounts", errors);
        List<CanonicalOrder.Adjustment> charges = adjustments(document.path("charges"), "/charges", errors);
        BigDecimal tax = amount(document.path("totals").path("tax"), "/totals/tax", errors);
        BigDecimal grand = amount(document.path("totals").path("grandTotal"), "/totals/grandTotal", errors);
        JsonNode at = document.path("provenance").path("/totals/grandTotal");
        return new HeaderChange(discounts, charges, tax, grand, at.isTextual() ? at.asText() : null);
    }

    private static List<CanonicalOrder.Adjustment> adjustments(JsonNode list, String at, List<FieldError> errors) {
        if (list.isMissingNode() || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            errors.add(FieldError.of(at, "must be a list of allowances or charges"));
            return null;
        }
        List<CanonicalOrder.Adjustment> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            String here = at + "/" + i;
            BigDecimal amount = amount(a.path("amount"), here + "/amount", errors);
            BigDecimal percent = amount(a.path("percent"), here + "/percent", errors);
            if (amount == null && percent == null && !a.hasNonNull("amount") && !a.hasNonNull("percent")) {
                errors.add(FieldError.of(here + "/amount", "is required (or a percent): what it takes off or adds is unknown"));
                continue;
            }
            BigDecimal base = amount(a.path("baseAmount"), here + "/baseAmount", errors);
            result.add(new CanonicalOrder.Adjustment(amount, text(a, "reason"), text(a, "description"), percent,
                    amount == null ? null : base));
        }
        return result;
    }

    private static BigDecimal amount(JsonNode v, String at, List<FieldError> errors) {
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.decimalValue().signum() < 0) {
            errors.add(FieldError.of(at, "must be a number, not negative"));
            return null;
        }
        return v.decimalValue();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
