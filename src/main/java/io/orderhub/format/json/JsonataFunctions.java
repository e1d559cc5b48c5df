package io.orderhub.format.json;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.regex.Pattern;

import com.dashjoin.jsonata.Jsonata;
import io.orderhub.common.FieldError;

/**
 * Functions a JSONata mapping calls for money and for reporting problems. JSONata's own arithmetic
 * works in double, so mappings do every amount calculation with these exact decimal functions:
 * <ul>
 * <li>{@code $decimal(value, pointer)}: a number or numeric text ("199.00") as an exact decimal;
 *     anything else is reported at {@code pointer} (a JSON pointer into the source document) and
 *     gives nothing. Nothing in, nothing out.</li>
 * <li>{@code $decimalSum(values)}: the exact sum of decimals (nothing counts as 0).</li>
 * <li>{@code $times(a, b)}, {@code $minus(a, b)}: exact product and difference (nothing if either is missing).</li>
 * <li>{@code $divide(a, b)}: a / b rounded half-up to 4 decimals (nothing if b is missing or 0).</li>
 * <li>{@code $fail(pointer, message)}: reports a problem at {@code pointer} and gives nothing.</li>
 * </ul>
 */
public final class JsonataFunctions {

    static final int DIVIDE_SCALE = 4;
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,3})?");
    private static final int QUOTE_MAX = 40;

    private JsonataFunctions() {
    }

    public static void bind(Jsonata.Frame frame, List<FieldError> errors) {
        frame.bind("decimal", (Jsonata.Fn2<Object, Object, Object>) (value, pointer) -> {
            if (value == null || value == Jsonata.NULL_VALUE) {
                return null;
            }
            BigDecimal d = toDecimal(value);
            if (d == null) {
                errors.add(FieldError.of(String.valueOf(pointer), "must be a decimal number, not " + quote(value)));
            }
            return d;
        });
        frame.bind("decimalSum", (Jsonata.Fn1<Object, Object>) values -> {
            BigDecimal sum = BigDecimal.ZERO;
            for (Object v : values instanceof List<?> list ? list : values == null ? List.of() : List.of(values)) {
                BigDecimal d = toDecimal(v);
                if (d != null) {
                    sum = sum.add(d);
                }
            }
            return sum;
        });
        frame.bind("times", (Jsonata.Fn2<Object, Object, Object>) (a, b) -> {
            BigDecimal x = toDecimal(a);
            BigDecimal y = toDecimal(b);
            return x == null || y == null ? null : x.multiply(y);
        });
        frame.bind("minus", (Jsonata.Fn2<Object, Object, Object>) (a, b) -> {
            BigDecimal x = toDecimal(a);
            BigDecimal y = toDecimal(b);
            return x == null || y == null ? null : x.subtract(y);
        });
        frame.bind("divide", (Jsonata.Fn2<Object, Object, Object>) (a, b) -> {
            BigDecimal x = toDecimal(a);
            BigDecimal y = toDecimal(b);
            if (x == null || y == null || y.signum() == 0) {
                return null;
            }
            BigDecimal q = x.divide(y, DIVIDE_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
            return q.scale() < 0 ? q.setScale(0) : q;
        });
        frame.bind("fail", (Jsonata.Fn2<Object, Object, Object>) (pointer, message) -> {
            errors.add(FieldError.of(String.valueOf(pointer), String.valueOf(message)));
            return null;
        });
    }

    static BigDecimal toDecimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double v = ((Number) value).doubleValue();
            return Double.isFinite(v) ? BigDecimal.valueOf(v) : null;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof String s && DECIMAL.matcher(s.trim()).matches()) {
            return new BigDecimal(s.trim());
        }
        return null;
    }

    private static String quote(Object value) {
        if (value instanceof String s) {
            return "'" + (s.length() > QUOTE_MAX ? s.substring(0, QUOTE_MAX) + "…" : s) + "'";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof java.util.Map<?, ?>) {
            return "an object";
        }
        return String.valueOf(value);
    }
}
