package io.orderhub.order;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Money in one form wherever an order is shown (issue 20): every amount carries at least its currency's decimals
 * (ISO 4217: EUR 85 → 85.00, JPY 1500 → 1500, KWD 1.5 → 1.500), however the document or the mapping wrote it
 * (a mapping's arithmetic gives 85, a document may say 85.00). Extra decimals are kept, never rounded (a unit price
 * of 2.105 stays 2.105), so the form changes no value. The source data of a line (the document's own price and
 * amount) stays as the document wrote it, and so do quantities and percentages, which are not money.
 */
public final class MoneyForm {

    /** The amounts of a canonical order, as JSON pointers ("*" for every element of an array). */
    static final List<String> AMOUNTS = List.of("/totals/subtotal", "/totals/discount", "/totals/shipping",
            "/totals/tax", "/totals/grandTotal", "/lines/*/unitPrice", "/lines/*/lineTotal", "/lines/*/taxAmount",
            "/lines/*/discounts/*/amount", "/lines/*/discounts/*/baseAmount", "/lines/*/charges/*/amount",
            "/lines/*/charges/*/baseAmount", "/discounts/*/amount", "/discounts/*/baseAmount", "/charges/*/amount",
            "/charges/*/baseAmount");

    private MoneyForm() {
    }

    /**
     * {@code value} with at least the decimals of {@code currency} (unchanged when the currency is not an ISO 4217
     * code, or the value is null).
     */
    public static BigDecimal amount(BigDecimal value, String currency) {
        int digits = digits(currency);
        if (value == null || digits < 0) {
            return value;
        }
        return value.scale() >= digits ? value : value.setScale(digits);
    }

    /**
     * The order (canonical JSON) with every amount in its currency's form (a copy; the order as it was when it is
     * not an object, names no known currency, or an amount is not a number: the validator reports those).
     */
    public static JsonNode inCurrencyForm(JsonNode order) {
        if (order == null || !order.isObject()) {
            return order;
        }
        int digits = digits(order.path("currency").asText(null));
        if (digits < 0) {
            return order;
        }
        ObjectNode copy = order.deepCopy();
        for (String pointer : AMOUNTS) {
            apply(copy, pointer.substring(1).split("/"), 0, digits);
        }
        return copy;
    }

    private static void apply(JsonNode node, String[] path, int at, int digits) {
        if (node == null || !node.isContainerNode()) {
            return;
        }
        String step = path[at];
        if (step.equals("*")) {
            if (node.isArray()) {
                node.forEach(element -> apply(element, path, at + 1, digits));
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode child = node.get(step);
        if (at < path.length - 1) {
            apply(child, path, at + 1, digits);
        } else if (child != null && child.isNumber()) {
            BigDecimal value = child.decimalValue();
            if (value.scale() < digits) {
                ((ObjectNode) node).set(step, DecimalNode.valueOf(value.setScale(digits)));
            }
        }
    }

    /** The ISO 4217 decimals of the currency; -1 when it is not one (or has none defined, e.g. XAU). */
    private static int digits(String currency) {
        if (currency == null || currency.length() != 3) {
            return -1;
        }
        try {
            return Currency.getInstance(currency).getDefaultFractionDigits();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
