package io.orderhub.planning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forecasting model of daily demand with its parameter grid. {@link #fit} picks the parameters with
 * the smallest one-step-ahead squared error over the history (a small grid search) and forecasts
 * {@code h} days from the end of the history.
 */
public abstract class ForecastModel {

    /** The recursions over a history with one parameter set: in-sample one-step SSE and the forecast. */
    protected record Run(double sse, double[] forecast) {
    }

    /** The fitted model: its parameters and the next days' forecast. */
    public record Fitted(String model, Map<String, Double> parameters, double[] forecast) {
    }

    public abstract String name();

    /** The fewest days of history the model can be fitted on. */
    public abstract int minHistory();

    protected abstract String[] parameterNames();

    protected abstract List<double[]> grid();

    protected abstract Run run(double[] y, double[] parameters, int h);

    public Fitted fit(double[] y, int h) {
        if (y.length < minHistory()) {
            throw new IllegalArgumentException(name() + " needs at least " + minHistory() + " days, got " + y.length);
        }
        Run best = null;
        double[] bestParameters = null;
        for (double[] p : grid()) {
            Run r = run(y, p, h);
            if (best == null || r.sse() < best.sse() - 1e-12) {
                best = r;
                bestParameters = p;
            }
        }
        Map<String, Double> named = new LinkedHashMap<>();
        String[] names = parameterNames();
        for (int i = 0; i < names.length; i++) {
            named.put(names[i], bestParameters[i]);
        }
        return new Fitted(name(), named, best.forecast());
    }

    static List<double[]> grid(double[]... axes) {
        List<double[]> out = new java.util.ArrayList<>();
        combine(axes, 0, new double[axes.length], out);
        return out;
    }

    private static void combine(double[][] axes, int i, double[] current, List<double[]> out) {
        if (i == axes.length) {
            out.add(current.clone());
            return;
        }
        for (double v : axes[i]) {
            current[i] = v;
            combine(axes, i + 1, current, out);
        }
    }

    static final double[] ALPHAS = {0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9};
    static final double[] BETAS = {0.01, 0.05, 0.1, 0.2, 0.4};
    static final double[] GAMMAS = {0.05, 0.1, 0.2, 0.4};

    /** Moving average of the last k days (k from 7, 14, 28; all days when the history is shorter). */
    public static final class MovingAverage extends ForecastModel {
        @Override public String name() { return "moving-average"; }
        @Override public int minHistory() { return 1; }
        @Override protected String[] parameterNames() { return new String[] {"window"}; }
        @Override protected List<double[]> grid() { return grid(new double[] {7, 14, 28}); }

        @Override
        protected Run run(double[] y, double[] p, int h) {
            int k = (int) p[0];
            double sse = 0;
            for (int t = k; t < y.length; t++) {
                double e = y[t] - mean(y, t - k, t);
                sse += e * e;
            }
            double level = mean(y, Math.max(0, y.length - k), y.length);
            double[] f = new double[h];
            java.util.Arrays.fill(f, level);
            // a window longer than the history cannot be scored: rank it last
            return new Run(k >= y.length && k > 7 ? Double.MAX_VALUE : sse, f);
        }
    }

    /** Simple exponential smoothing (Brown 1956): level l = αy + (1 − α)l; a flat forecast. */
    public static final class SimpleExponentialSmoothing extends ForecastModel {
        @Override public String name() { return "simple-exponential-smoothing"; }
        @Override public int minHistory() { return 1; }
        @Override protected String[] parameterNames() { return new String[] {"alpha"}; }
        @Override protected List<double[]> grid() { return grid(ALPHAS); }

        @Override
        protected Run run(double[] y, double[] p, int h) {
            double a = p[0];
            double level = y[0];
            double sse = 0;
            for (int t = 1; t < y.length; t++) {
                double e = y[t] - level;
                sse += e * e;
                level = a * y[t] + (1 - a) * level;
            }
            double[] f = new double[h];
            java.util.Arrays.fill(f, level);
            return new Run(sse, f);
        }
    }

    /** Holt's linear trend (1957): level and trend, forecast l + h·b. */
    public static final class HoltLinear extends ForecastModel {
        @Override public String name() { return "holt-linear"; }
        @Override public int minHistory() { return 2; }
        @Override protected String[] parameterNames() { return new String[] {"alpha", "beta"}; }
        @Override protected List<double[]> grid() { return grid(ALPHAS, BETAS); }

        @Override
        protected Run run(double[] y, double[] p, int h) {
            double a = p[0];
            double b = p[1];
            double level = y[0];
            double trend = y[1] - y[0];
            double sse = 0;
            for (int t = 1; t < y.length; t++) {
                double e = y[t] - (level + trend);
                sse += e * e;
                double previous = level;
                level = a * y[t] + (1 - a) * (level + trend);
                trend = b * (level - previous) + (1 - b) * trend;
            }
            double[] f = new double[h];
            for (int i = 0; i < h; i++) {
                f[i] = level + (i + 1) * trend;
            }
            return new Run(sse, f);
        }
    }

    /** Holt-Winters (Winters 1960) with additive seasonality of period m (7: the week). */
    public static final class HoltWintersAdditive extends ForecastModel {
        private final int m;

        public HoltWintersAdditive(int season) {
            this.m = season;
        }

        @Override public String name() { return "holt-winters-additive"; }
        @Override public int minHistory() { return 2 * m; }
        @Override protected String[] parameterNames() { return new String[] {"alpha", "beta", "gamma"}; }
        @Override protected List<double[]> grid() { return grid(ALPHAS, BETAS, GAMMAS); }

        @Override
        protected Run run(double[] y, double[] p, int h) {
            double a = p[0];
            double b = p[1];
            double g = p[2];
            int n = y.length;
            double first = mean(y, 0, m);
            double level = first;
            double trend = (mean(y, m, 2 * m) - first) / m;
            double[] season = new double[n + m];
            for (int i = 0; i < m; i++) {
                season[i] = y[i] - first;
            }
            double sse = 0;
            for (int t = m; t < n; t++) {
                double e = y[t] - (level + trend + season[t - m]);
                sse += e * e;
                double previous = level;
                level = a * (y[t] - season[t - m]) + (1 - a) * (level + trend);
                trend = b * (level - previous) + (1 - b) * trend;
                season[t] = g * (y[t] - level) + (1 - g) * season[t - m];
            }
            double[] f = new double[h];
            for (int i = 0; i < h; i++) {
                f[i] = level + (i + 1) * trend + season[n - m + (i % m)];
            }
            return new Run(sse, f);
        }
    }

    static double mean(double[] y, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += y[i];
        }
        return to > from ? s / (to - from) : 0;
    }
}
