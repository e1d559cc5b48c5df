package io.orderhub.planning;

/**
 * Daily demand of one SKU (in one warehouse or overall) over the days of its history: count of days,
 * average, maximum, sample standard deviation (n − 1), and the annual demand D = average × 365.
 */
public record DemandStats(int days, double total, double average, double max, double standardDeviation) {

    public static final DemandStats NONE = new DemandStats(0, 0, 0, 0, 0);

    public static DemandStats of(double[] daily) {
        int n = daily.length;
        if (n == 0) {
            return NONE;
        }
        double total = 0;
        double max = 0;
        for (double d : daily) {
            if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("daily demand must be finite and >= 0, was " + d);
            }
            total += d;
            max = Math.max(max, d);
        }
        double mean = total / n;
        double squares = 0;
        for (double d : daily) {
            squares += (d - mean) * (d - mean);
        }
        double sd = n < 2 ? 0 : Math.sqrt(squares / (n - 1));
        return new DemandStats(n, total, mean, max, sd);
    }

    public boolean empty() {
        return days == 0;
    }

    public double annualDemand() {
        return average * 365.0;
    }
}
