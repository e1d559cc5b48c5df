package io.orderhub.order;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;

import static io.orderhub.order.CanonicalOrderValidator.MAX_UNIT_PRICE_DECIMALS;
import static io.orderhub.order.CanonicalOrderValidator.TOLERANCE;

/**
 * The arithmetic rules of a canonical order, for {@link CanonicalOrderValidator}: each line's total against
 * quantity × unit price − discounts + charges, each allowance or charge against its percent of its base, the
 * totals against the lines and each other; sums may differ by a cent of rounding ({@code TOLERANCE}).
 */
final class OrderAmounts {

    private OrderAmounts() {
    }

    /** Checks each line's total and line numbers; returns the sum of line totals, or null if unknown. */
    static BigDecimal lines(JsonNode lines, List<FieldError> errors) {
        if (!lines.isArray()) {
            return null;
        }
        Set<Integer> seen = new HashSet<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            String at = "/lines/" + i;
            JsonNode lineNo = line.path("lineNo");
            if (lineNo.isIntegralNumber() && !seen.add(lineNo.asInt())) {
                errors.add(FieldError.of(at + "/lineNo", "repeats line number " + lineNo.asInt()));
            }
            BigDecimal qty = decimal(line.path("quantity"));
            BigDecimal price = decimal(line.path("unitPrice"));
            BigDecimal total = decimal(line.path("lineTotal"));
            for (String amount : List.of("quantity", "unitPrice", "lineTotal", "taxAmount")) {
                BigDecimal value = decimal(line.path(amount));
                int places = amount.equals("unitPrice") ? MAX_UNIT_PRICE_DECIMALS : 4;
                if (value != null && value.stripTrailingZeros().scale() > places) {
                    errors.add(FieldError.of(at + "/" + amount, "has more than " + places + " decimal places"));
                }
            }
            BigDecimal discounts = adjustments(line.path("discounts"), at + "/discounts", errors);
            BigDecimal charges = adjustments(line.path("charges"), at + "/charges", errors);
            if (qty != null && price != null && total != null && discounts != null && charges != null) {
                BigDecimal gross = qty.multiply(price);
                BigDecimal expected = gross.subtract(discounts).add(charges);
                if (expected.subtract(total).abs().compareTo(lineTolerance(qty, price)) > 0) {
                    boolean adjusted = discounts.signum() != 0 || charges.signum() != 0;
                    errors.add(FieldError.of(at + "/lineTotal", "is " + total.toPlainString()
                            + (adjusted ? " but quantity × unitPrice − discounts + charges is " + plain(expected)
                                    + " (" + plain(gross) + " − " + plain(discounts) + " + " + plain(charges) + ")"
                                    : " but quantity × unitPrice is " + plain(gross))));
                }
            }
            sum = (sum == null || total == null) ? null : sum.add(total);
        }
        return sum;
    }

    /**
     * A unit price may carry up to 6 decimals (a price per hundred or per thousand divided down to the
     * ordered unit); the line total is then rounded to the cent, so the check allows the cent plus half a
     * unit of the price's last decimal for each unit ordered.
     */
    static BigDecimal lineTolerance(BigDecimal quantity, BigDecimal unitPrice) {
        int scale = unitPrice.stripTrailingZeros().scale();
        if (scale <= 4) {
            return TOLERANCE;
        }
        return TOLERANCE.add(quantity.abs().multiply(new BigDecimal("0.5").movePointLeft(scale)));
    }

    /**
     * Checks the allowances or charges at {@code at} (each percent × base against its amount) and
     * returns the sum of their amounts: zero when there are none, null when an amount is not a number.
     */
    private static BigDecimal adjustments(JsonNode list, String at, List<FieldError> errors) {
        if (list.isMissingNode() || list.isNull()) {
            return BigDecimal.ZERO;
        }
        if (!list.isArray()) {
            return null;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            BigDecimal amount = decimal(item.path("amount"));
            BigDecimal percent = decimal(item.path("percent"));
            BigDecimal base = decimal(item.path("baseAmount"));
            if (amount != null && amount.stripTrailingZeros().scale() > 4) {
                errors.add(FieldError.of(at + "/" + i + "/amount", "has more than 4 decimal places"));
            }
            if (amount != null && percent != null && base != null) {
                BigDecimal expected = base.multiply(percent).movePointLeft(2);
                if (expected.subtract(amount).abs().compareTo(TOLERANCE) > 0) {
                    errors.add(FieldError.of(at + "/" + i + "/amount", "is " + amount.toPlainString() + " but "
                            + plain(percent) + " % of " + plain(base) + " is " + plain(expected)));
                }
            }
            sum = (sum == null || amount == null) ? null : sum.add(amount);
        }
        return sum;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    static void totals(JsonNode order, BigDecimal lineSum, List<FieldError> errors) {
        JsonNode totals = order.path("totals");
        if (!totals.isObject()) {
            return;
        }
        BigDecimal subtotal = decimal(totals.path("subtotal"));
        for (Iterator<Map.Entry<String, JsonNode>> it = totals.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            BigDecimal value = decimal(e.getValue());
            if (value != null && value.stripTrailingZeros().scale() > 4) {
                errors.add(FieldError.of("/totals/" + e.getKey(), "has more than 4 decimal places"));
            }
        }
        if (subtotal != null && lineSum != null && subtotal.subtract(lineSum).abs().compareTo(TOLERANCE) > 0) {
            errors.add(FieldError.of("/totals/subtotal", "is " + subtotal.toPlainString()
                    + " but the line totals add up to " + lineSum.toPlainString()));
        }
        BigDecimal discount = decimal(totals.path("discount"));
        BigDecimal shipping = decimal(totals.path("shipping"));
        BigDecimal tax = decimal(totals.path("tax"));
        BigDecimal grand = decimal(totals.path("grandTotal"));
        sumOf(order.path("discounts"), "/discounts", discount, "/totals/discount", errors);
        sumOf(order.path("charges"), "/charges", shipping, "/totals/shipping", errors);
        if (subtotal != null && discount != null && shipping != null && tax != null && grand != null) {
            BigDecimal expected = subtotal.subtract(discount).add(shipping).add(tax);
            if (expected.subtract(grand).abs().compareTo(TOLERANCE) > 0) {
                errors.add(FieldError.of("/totals/grandTotal", "is " + grand.toPlainString()
                        + " but subtotal − discount + shipping + tax is " + expected.toPlainString()));
            }
        }
    }

    /** When the order lists its discounts (or charges), their sum is totals.discount (or totals.shipping). */
    private static void sumOf(JsonNode list, String at, BigDecimal total, String totalAt, List<FieldError> errors) {
        if (!list.isArray()) {
            return;
        }
        BigDecimal sum = adjustments(list, at, errors);
        if (sum != null && total != null && sum.subtract(total).abs().compareTo(TOLERANCE) > 0) {
            errors.add(FieldError.of(totalAt, "is " + total.toPlainString() + " but the order's " + at.substring(1)
                    + " add up to " + plain(sum)));
        }
    }

    private static BigDecimal decimal(JsonNode node) {
        return node.isNumber() ? node.decimalValue() : null;
    }
}
