package io.orderhub.outbound;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Values made safe for an EDI document before a mapping sees them: X12 has no release character, so its
 * separators ({@code * ~ > ^}) and line breaks in a value become spaces; EDIFACT releases its separators
 * ({@code + : ' ? *}, the last the syntax 4 repetition separator) with {@code ?}. Numbers become plain decimal text ({@code 19.99}, never {@code 1.999E1}).
 */
public final class EdiText {

    private EdiText() {
    }

    public static String x12(String value) {
        if (value == null) {
            return "";
        }
        return value.replaceAll("[*~>^\\r\\n\\t]", " ").strip();
    }

    public static String edifact(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (char c : value.replaceAll("[\\r\\n\\t]", " ").strip().toCharArray()) {
            if (c == '+' || c == ':' || c == '\'' || c == '?' || c == '*') {
                out.append('?');
            }
            out.append(c);
        }
        return out.toString();
    }

    public static String escape(String standard, String value) {
        return EdiDocuments.X12.equals(standard) ? x12(value) : EdiDocuments.EDIFACT.equals(standard) ? edifact(value)
                : value;
    }

    /** Plain decimal text without trailing zeros ({@code 3}, {@code 2.5}, {@code 19.99}). */
    public static String number(BigDecimal n) {
        if (n == null) {
            return "";
        }
        String s = n.stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** A JSON tree as maps, lists and strings, each text escaped for the standard and numbers as plain text. */
    public static Object model(JsonNode node, String standard) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Object v = model(e.getValue(), standard);
                if (v != null) {
                    m.put(e.getKey(), v);
                }
            }
            return m;
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>();
            node.forEach(n -> l.add(model(n, standard)));
            return l;
        }
        if (node.isNumber()) {
            return number(node.decimalValue());
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return escape(standard, node.asText());
    }
}
