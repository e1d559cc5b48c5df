package io.orderhub.bench.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Medians over runs and small number helpers for the report. */
final class Stats {

    private Stats() {
    }

    /** The median of the non-null values (mean of the middle two for an even count); null when there is none. */
    static Double median(Collection<Double> values) {
        List<Double> v = new ArrayList<>(values.stream().filter(Objects::nonNull).filter(d -> !d.isNaN()).toList());
        if (v.isEmpty()) {
            return null;
        }
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static Double ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    /** Rounded for reading: 3 significant digits, at most 3 decimals. */
    static String fmt(Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(java.util.Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(java.util.Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(java.util.Locale.ROOT, "%.2f", v);
        }
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    static Double round(Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return null;
        }
        return Math.round(v * 1000.0) / 1000.0;
    }

    /** Least-squares slope of y over x (per unit of x); null with fewer than 3 points. */
    static Double slope(List<double[]> points) {
        if (points.size() < 3) {
            return null;
        }
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? null : (n * sxy - sx * sy) / d;
    }
}
