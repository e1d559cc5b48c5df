package io.orderhub.planning;

import java.math.BigDecimal;
import java.math.RoundingMode;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One planning figure: its value (rounded to 2 decimals), or no value and the reason why it cannot be
 * computed (no history, no holding cost, ...). A figure is never NaN or infinite.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Figure(BigDecimal value, String formula, String reason) {

    public static Figure of(double value, String formula) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("figure " + formula + " is not a finite number: " + value);
        }
        return new Figure(round(value), formula, null);
    }

    public static Figure unavailable(String formula, String reason) {
        return new Figure(null, formula, reason);
    }

    public boolean available() {
        return value != null;
    }

    public double doubleValue() {
        if (value == null) {
            throw new IllegalStateException(formula + " has no value: " + reason);
        }
        return value.doubleValue();
    }

    static BigDecimal round(double v) {
        BigDecimal r = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
        return r.signum() == 0 ? BigDecimal.ZERO.setScale(2) : r;
    }
}
